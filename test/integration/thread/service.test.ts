// The shipped smartgrid-thread bundle under the ubusd stand-in: configured from UCI, it probes the
// simulated RCP behind a real pty, runs the otbr-agent stand-in and serves the network; ubus status,
// probe and restart_radio, and the smartgrid.thread.* events, as the page and ACL use them.
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceBundleOptions } from '../../../src/lib/bundling/service-bundle.mjs';
import { THREAD_EVENTS } from '../../../src/thread/contract.js';
import { freePort } from '../../helpers/mosquitto.js';
import { startTestUbus, waitUntil, type TestUbus } from '../../helpers/ubus.js';
import { otbrAgentStandIn } from '../../stand-ins/otbr/build.js';
import { startPtyRcp, type PtyRcp } from '../../stand-ins/rcp-sim/pty.js';

const dir = mkdtempSync(join(tmpdir(), 'thread-svc-'));
/** UCI wants a device under /dev (as on the gateway): a link there to the pty, removed afterwards. */
const DEV_LINK = `/dev/ttyRCPtest${process.pid}`;
const NETWORK_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
let bus: TestUbus;
let rcp: PtyRcp;
let service: ChildProcess;
const output: string[] = [];
const events: { what: string; data: Record<string, unknown> }[] = [];

beforeAll(async () => {
  const bundle = join(dir, 'smartgrid-thread.cjs');
  await build({ ...serviceBundleOptions(), entryPoints: [join(__dirname, '../../../src/thread/main.ts')], outfile: bundle, format: 'cjs', logLevel: 'error' });
  rcp = await startPtyRcp({ path: join(dir, 'ttyACM0') });
  symlinkSync(rcp.path, DEV_LINK);
  bus = await startTestUbus();
  await bus.client.listen('smartgrid.thread.*', (what, data) => { events.push({ what, data: data as Record<string, unknown> }); });
  mkdirSync(join(dir, 'uci'));
  const options: Record<string, string | number> = {
    device: DEV_LINK, otbr_agent: await otbrAgentStandIn(), rest_port: await freePort(), state_file: join(dir, 'state', 'rcp.json'),
    network_name: 'smartgrid', panid: '0x1234', extpanid: 'dead00beef00cafe', channel: 15, network_key: NETWORK_KEY, infra_if: 'lo',
  };
  writeFileSync(join(dir, 'uci', 'smartgrid'), `config thread 'thread'\n${Object.entries(options).map(([k, v]) => `\toption ${k} '${v}'`).join('\n')}\n`);
  service = spawn(process.execPath, [bundle], {
    env: { ...process.env, SMARTGRID_UBUS_SOCKET: bus.socketPath, SMARTGRID_UCI_DIR: join(dir, 'uci'), OTBR_STANDIN_PEERS: '1', OTBR_STANDIN_SETTINGS: join(dir, 'otbr.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [service.stdout!, service.stderr!]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
}, 120_000);

afterAll(async () => {
  if (service?.exitCode === null) {
    const exited = new Promise((resolve) => service.once('exit', resolve));
    service.kill('SIGTERM');
    await exited;
  }
  await rcp?.stop();
  await bus?.stop();
  rmSync(DEV_LINK, { force: true });
  rmSync(dir, { recursive: true, force: true });
});

async function status(): Promise<Record<string, any>> {
  return (await bus.client.call('smartgrid.thread', 'status').catch(() => ({}))) as Record<string, any>;
}

describe('smartgrid-thread over ubus', () => {
  it('serves the network: status names the RCP, otbr-agent and the role, and never the network key', async () => {
    await waitUntil(async () => (await status()).radio_state === 'running', 30_000, 'radio_state running');
    const reply = await status();
    expect(reply).toMatchObject({ service: 'thread', state: 'running', radio_state: 'running', thread: { role: 'leader' }, rcp: { probe: 'ok', hwaddr: '18b4300000000001', protocol: '4.3', rcp_api_version: 11, baud: 460800 }, otbr_agent: { running: true, starts: 1 } });
    expect(reply.rcp.firmware).toMatch(/^OPENTHREAD\//);
    expect(JSON.stringify(reply)).not.toContain(NETWORK_KEY);
    expect(output.join('')).not.toContain(NETWORK_KEY);
    expect(events.map((e) => e.what)).toEqual(expect.arrayContaining(['smartgrid.thread.state', 'smartgrid.thread.role']));
    for (const event of events) expect(THREAD_EVENTS).toContain(event.what.replace('smartgrid.thread.', ''));
  }, 60_000);

  it('probe lists the probe report and the candidates', async () => {
    const reply = (await bus.client.call('smartgrid.thread', 'probe')) as Record<string, any>;
    expect(reply.probe).toMatchObject({ ok: true, cause: 'ok', path: DEV_LINK });
  });

  it('restart_radio starts over and the network is served again, with a fault and a recovery event', async () => {
    const before = (await status()).otbr_agent.starts as number;
    await bus.client.call('smartgrid.thread', 'restart_radio');
    await waitUntil(async () => { const s = await status(); return s.radio_state === 'running' && s.otbr_agent.starts > before; }, 30_000, 'served again');
    await waitUntil(() => events.some((e) => e.what === 'smartgrid.thread.recovered'), 10_000, 'recovered event');
    expect((await status()).counters.recoveries).toBe(1);
  }, 60_000);
});
