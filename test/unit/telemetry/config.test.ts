import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import schemaJson from '../../../src/lib/config/schemas/telemetry.schema.json';
import type { SectionSchema } from '../../../src/lib/config/schema-types.js';
import { UciSectionSource } from '../../../src/lib/config/uci-source.js';
import type { TelemetryConfig } from '../../../src/telemetry/config.js';

const schema = schemaJson as unknown as SectionSchema;
const dir = mkdtempSync(join(tmpdir(), 'sg-telemetry-uci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(text: string) {
  writeFileSync(join(dir, 'smartgrid'), text);
  return new UciSectionSource<TelemetryConfig>({ section: 'telemetry', schema, configDir: dir }).load();
}

describe('telemetry.schema.json through the UCI loader', () => {
  it('documents every option and names the section', () => {
    expect(schema.$id).toBe('smartgrid.telemetry');
    for (const [name, option] of Object.entries(schema.properties)) {
      expect(option.title, name).toBeTruthy();
      expect(option.description, name).toBeTruthy();
      expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    expect(schema.properties.upstream_access_token['x-secret']).toBe(true);
    expect(schema.properties.enabled.default).toBe(true);
  });

  it('coerces UCI strings and lists and fills defaults', async () => {
    const result = await load(`config telemetry 'telemetry'
\toption upstream_host 'tb.example.com'
\toption upstream_port '8883'
\toption upstream_tls_verify '1'
\toption batch_max_bytes '32000'
\toption zscore_threshold '3.5'
\tlist obis_map '1-0:99.8.0=custom_kwh'
\tlist rule_range 'voltage_l1_v=207:253'
\tlist rule_range 'frequency_hz=49.5:'
\tlist topic_pattern 'telemetry/{region}/{dcu}/{meter}'
\tlist topic_pattern 'site/{meter}'
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      upstream_host: 'tb.example.com', upstream_port: 8883, upstream_tls: true, upstream_tls_verify: true, batch_max_bytes: 32000,
      zscore_threshold: 3.5, obis_map: ['1-0:99.8.0=custom_kwh'], rule_range: ['voltage_l1_v=207:253', 'frequency_hz=49.5:'],
      topic_pattern: ['telemetry/{region}/{dcu}/{meter}', 'site/{meter}'], queue_max_mb: 64, queue_min_free_mb: 8, queue_max_age: 168, mode: 'normal',
      queue_dir: '/srv/smartgrid/telemetry', queue_mount_point: '',
    });
  });

  it('names the option and rule of a bad value', async () => {
    const result = await load(`config telemetry 'telemetry'
\toption batch_max_bytes '70000'
\toption mode 'turbo'
\tlist topic_pattern 'telemetry/#'
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['smartgrid.telemetry.batch_max_bytes', 'smartgrid.telemetry.mode']));
    expect(paths.some((p) => p.startsWith('smartgrid.telemetry.topic_pattern'))).toBe(true);
  });
});

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('every string option has a real rule', () => {
  const strings = Object.entries(schema.properties).filter(([, option]) => option.type === 'string' || option.items?.type === 'string');

  it('each has an enum or a pattern, and its default keeps it', async () => {
    for (const [name, option] of strings) {
      expect(option.enum ?? option.pattern ?? option.items?.pattern, name).toBeDefined();
    }
    expect((await load("config telemetry 'telemetry'\n")).ok).toBe(true);
  });

  it('refuses markup in every one of them but the secrets (any printable text), naming the option', async () => {
    for (const [name, option] of strings.filter(([, option]) => !option['x-secret'])) {
      const line = option.type === 'array' ? `\tlist ${name} '${HOSTILE}'` : `\toption ${name} '${HOSTILE}'`;
      const result = await load(`config telemetry 'telemetry'\n${line}\n`);
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.issues.some((issue) => issue.path.startsWith(`smartgrid.telemetry.${name}`)), name).toBe(true);
    }
  });

  const cases: Array<[string, string[], string[]]> = [
    ['queue_dir', ['/srv/smartgrid/telemetry', '/mnt/ssd/smartgrid', '/tmp/sg-queue-1'], ['queue', './q', '/etc/smartgrid', '/srv/../etc', '/srv/a/../../etc', '/srv', '/srv/a b', '-a']],
    ['queue_mount_point', ['', '/mnt/ssd', '/media/usb0'], ['/', '/etc', 'mnt/ssd', '/mnt/../etc']],
    ['broker_host', ['127.0.0.1', 'localhost', 'broker.lan', '::1', 'fd00::1'], ['-a', 'a b', 'host;reboot', 'a..b', `${'a'.repeat(64)}.com`]],
    ['upstream_host', ['tb.example.com', '10.0.0.5', '2001:db8::1'], ['-oProxyCommand=x', 'tb.example.com/path', 'http://tb']],
    ['upstream_ca_file', ['', '/etc/ssl/certs/ca.pem', '/etc/smartgrid/tb-ca.pem'], ['ca.pem', '/proc/self/environ', '/etc/../root/key']],
    ['dead_letter_topic', ['smartgrid/telemetry/deadletter'], ['dl/#', 'dl/+/x', '/lead', 'a//b']],
    ['command_topic', ['command/{region}/{dcu}/{meter}', 'cmd/{meter}'], ['command/#', 'command/{meter', 'command/+/{meter}']],
    ['upstream_client_id', ['', 'gw-01'], ['gw 01', 'x'.repeat(65)]],
    ['broker_username', ['', 'dcu-user'], ['a user', 'x'.repeat(129)]],
  ];
  for (const [name, good, bad] of cases) {
    it(`${name}: accepts ${good.length} and refuses ${bad.length} values`, async () => {
      for (const value of good) expect((await load(`config telemetry 'telemetry'\n\toption ${name} '${value}'\n`)).ok, `${name}=${value}`).toBe(true);
      for (const value of bad) expect((await load(`config telemetry 'telemetry'\n\toption ${name} '${value}'\n`)).ok, `${name}=${value}`).toBe(false);
    });
  }

  it('topic patterns need {meter} and plain levels', async () => {
    const ok = (pattern: string) => load(`config telemetry 'telemetry'\n\tlist topic_pattern '${pattern}'\n`).then((r) => r.ok);
    for (const pattern of ['telemetry/{region}/{dcu}/{meter}', '{meter}/data', 'site/{meter}']) expect(await ok(pattern), pattern).toBe(true);
    for (const pattern of ['telemetry/{region}/{dcu}', 'telemetry/+/{meter}', 'telemetry/{meter}/#', 'x/{meterx}', 'a//{meter}']) expect(await ok(pattern), pattern).toBe(false);
  });
});
