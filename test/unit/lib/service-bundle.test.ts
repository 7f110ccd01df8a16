import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { cloneSharingBuffers } from '../../../tools/bundling/mqtt-bundle-plugin.mjs';
import { declaredRedirects, serviceBundleOptions } from '../../../tools/bundling/service-bundle.mjs';

describe('cloneSharingBuffers (mqtt.js packet clone in the bundles)', () => {
  it('copies plain objects and arrays and shares Buffers', () => {
    const payload = Buffer.from('{"m1":[]}');
    const packet = { cmd: 'publish', topic: 'v1/gateway/telemetry', payload, qos: 1, properties: { userProperties: { a: ['1', '2'] } } };
    const copy = cloneSharingBuffers(packet);
    expect(copy).toEqual(packet);
    expect(copy).not.toBe(packet);
    expect(copy.properties).not.toBe(packet.properties);
    expect(copy.properties.userProperties.a).not.toBe(packet.properties.userProperties.a);
    expect(copy.payload).toBe(payload);
    copy.topic = 'changed';
    expect(packet.topic).toBe('v1/gateway/telemetry');
  });
});

describe('service bundle options', () => {
  let dir: string;
  let bundle: string;
  let metafile: Metafile;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sg-service-bundle-'));
    const entry = join(dir, 'entry.ts');
    // Exercises mqtt.js inside a bundle: the clone it stores, and a websocket URL.
    writeFileSync(entry, `import mqtt from 'mqtt';
const client = mqtt.connect({ host: '127.0.0.1', port: 1, manualConnect: true, reconnectPeriod: 0 });
const payload = Buffer.alloc(60000, 0x61);
const packet = { cmd: 'publish', topic: 'v1/gateway/telemetry', payload, qos: 1, retain: false, dup: false, messageId: 7 };
(client as any)._writePacket = (_packet: unknown, cb?: () => void) => cb?.();
(client as any)._storeAndSend(packet, () => undefined, () => undefined);
const stored = (client as any).outgoingStore._inflights.get(7);
let wsError = '';
try {
  const ws = mqtt.connect('ws://127.0.0.1:1/mqtt', { reconnectPeriod: 0 });
  ws.on('error', (error: Error) => { wsError = error.message; });
} catch (error) { wsError = (error as Error).message; }
// Non-ASCII in a regular expression, a string and a u-flag class: esbuild's charset 'ascii' leaves the first.
const nonAscii = [/['"\\u0060\u2019]/.test('\u2019'), 'caf\u00e9 \ud83d\ude00'.length, /[\ud83d\ude00]/u.test('\ud83d\ude00')];
setTimeout(() => {
  console.log(JSON.stringify({ copied: stored !== packet, shared: stored?.payload === payload, wsError, nonAscii }));
  process.exit(0);
}, 50);
`);
    bundle = join(dir, 'entry.cjs');
    const nodePaths = [join(fileURLToPath(new URL('../../..', import.meta.url)), 'node_modules')];
    const result = await build({ ...serviceBundleOptions(), entryPoints: [entry], outfile: bundle, format: 'cjs', metafile: true, nodePaths });
    metafile = result.metafile!;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves mqtt.js's websocket, SOCKS, web-worker timer and rfdc modules out, and readable-stream (node's own stream is used)", () => {
    const inputs = Object.keys(metafile.inputs).join('\n');
    expect(inputs).toContain('node_modules/mqtt/');
    for (const name of ['ws', 'socks', 'ip-address', 'smart-buffer', 'worker-timers', 'rfdc', 'readable-stream']) expect(inputs).not.toMatch(new RegExp(`node_modules/${name}/`));
  });

  it('stores PUBLISH packets without copying their payload, and says websockets are not included', () => {
    const out = JSON.parse(execFileSync(process.execPath, [bundle], { encoding: 'utf8' })) as { copied: boolean; shared: boolean; wsError: string; nonAscii: unknown[] };
    expect(out).toEqual({ copied: true, shared: true, wsError: expect.stringContaining('websockets is not included in the smartgrid bundles'), nonAscii: [true, 7, true] });
  });

  it('emits one-byte (ASCII) source without comments, also for non-ASCII in a regular expression', () => {
    const source = readFileSync(bundle, 'utf8');
    expect(/[^\x00-\x7f]/.test(source)).toBe(false);
    expect(source).not.toContain('/**');
  });

  it.each(['thread', 'halow', 'lte', 'telemetry', 'sep2'])('the built smartgrid-%s bundle is ASCII (V8 keeps it as a one-byte string)', (service) => {
    const built = join(fileURLToPath(new URL('../../..', import.meta.url)), 'build/bundles', `smartgrid-${service}.js`);
    const source = readFileSync(built, 'utf8');
    expect(source.length).toBeGreaterThan(0);
    expect(source.match(/[^\x00-\x7f]/g) ?? []).toEqual([]);
  });
});

describe('build-time needs declared by each service (src/<service>/bundle.json)', () => {
  const repo = fileURLToPath(new URL('../../..', import.meta.url));

  it("the shared bundling tool names no service; telemetry's reading validators come from its manifest", async () => {
    for (const file of ['service-bundle.mjs', 'mqtt-bundle-plugin.mjs']) {
      const source = readFileSync(join(repo, 'tools/bundling', file), 'utf8');
      expect(source, file).not.toMatch(/src\/(telemetry|lte|thread|halow|sep2)\b/);
    }
    const redirects = await declaredRedirects();
    expect(redirects.map((r) => r.module)).toContain(join(repo, 'src/telemetry/ingest/compile-reading-validators.ts'));
  });

  it('a manifest entry that is not path#export fails with the manifest named', async () => {
    const src = mkdtempSync(join(tmpdir(), 'sg-manifest-'));
    execFileSync('mkdir', ['-p', join(src, 'svc')]);
    writeFileSync(join(src, 'svc', 'bundle.json'), JSON.stringify({ validatorRedirects: ['generator.mjs'] }));
    await expect(declaredRedirects(src)).rejects.toThrow(`${join(src, 'svc', 'bundle.json')}: validatorRedirects entry 'generator.mjs' is not 'path#export'`);
    rmSync(src, { recursive: true, force: true });
  });
});
