// Issue 2, "How it will be checked", as close as the stand-ins allow: the feed built from this tree
// (`make ipk` entry points), every package installed by the opkg stand-in into a fresh offline root,
// each installed init script run through rc.common/procd.sh into the supervising procd stand-in
// against the ubusd stand-in, `ubus call smartgrid.<svc> status` through the ubus CLI stand-in, then a
// corrupted config value, a bad value from the start, a stop, and a missing ubusd at start-up.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfflineOpkg } from '../../stand-ins/opkg/opkg.js';
import { ProcdSupervisor } from '../../stand-ins/procd/supervisor.js';
import { startUbusd, type RunningUbusd } from '../../stand-ins/ubusd/server.js';
import { waitUntil } from '../../helpers/ubus.js';
import { packageSpec } from '../../../tools/feed/catalog.js';
import {
  buildFeedFromTree, closedPort, freshRoot, initScript, repoRoot, serviceStatus, SERVICES, uciSetAndCommit, ubusCall, type ServiceName,
} from './device.js';

const work = mkdtempSync(join(tmpdir(), 'sg-install-run-'));
const root = join(work, 'root');
const uciDir = join(root, 'etc/config');
const socket = join(work, 'ubus.sock');
const lateSocket = join(work, 'late', 'ubus.sock');
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const EXPECTED_STATE: Record<ServiceName, string> = { thread: 'running', halow: 'not-implemented', lte: 'running', telemetry: 'running' };
const SECRETS = {
  'smartgrid.telemetry.upstream_access_token': `tb-token-${randomBytes(12).toString('hex')}`,
  'smartgrid.telemetry.broker_password': `mqtt-pass-${randomBytes(12).toString('hex')}`,
  'smartgrid.thread.network_key': randomBytes(16).toString('hex'),
  'smartgrid.halow.sae_password': `sae-${randomBytes(12).toString('hex')}`,
};
/** Rejected by the halow schema (8-63 characters), and still a secret. */
const REJECTED_SECRET = `sae-rejected-${randomBytes(32).toString('hex')}`;

let ipks: string[] = [];
let opkg: OfflineOpkg;
let ubusd: RunningUbusd | undefined;
let lateUbusd: RunningUbusd | undefined;
let stopLogFrom = 0;
const procd = new ProcdSupervisor({ root, envOverride: { SMARTGRID_UCI_DIR: uciDir, SMARTGRID_UBUS_SOCKET: socket } });
const lateProcd = new ProcdSupervisor({ root, envOverride: { SMARTGRID_UCI_DIR: uciDir, SMARTGRID_UBUS_SOCKET: lateSocket } });

const unit = (service: ServiceName) => `smartgrid-${service}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logSince = (supervisor: ProcdSupervisor, from: number) => supervisor.syslog.entries.slice(from);

async function statusOf(service: ServiceName, path = socket, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  let status: Record<string, unknown> | undefined;
  await waitUntil(async () => (status = await serviceStatus(path, service)) !== undefined, timeoutMs, `ubus call smartgrid.${service} status`);
  return status!;
}

beforeAll(() => {
  ipks = buildFeedFromTree(join(work, 'feed'));
  opkg = freshRoot(root);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([procd.shutdown(), lateProcd.shutdown()]);
  await Promise.allSettled([ubusd?.stop(), lateUbusd?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

describe.sequential('make ipk output installed offline and run under procd, ubusd and ubus stand-ins', () => {
  it('installs every package of the feed into a fresh offline root', () => {
    expect(ipks.map((path) => path.split('/').pop())).toEqual(expect.arrayContaining(SERVICES.map((s) => `smartgrid-${s}_${version}-r1_all.ipk`)));
    const result = opkg.install(ipks);
    expect(result.exitCode, result.stderr).toBe(0);
    const status = readFileSync(join(root, 'usr/lib/opkg/status'), 'utf8');
    for (const ipk of ipks) {
      const name = ipk.split('/').pop()!.split('_')[0]!;
      expect(status).toContain(`Package: ${name}\nVersion: ${version}-r1\n`);
      expect(opkg.status().find((s) => s.get('Package') === name)?.get('Status')).toBe('install user installed');
    }
    for (const service of SERVICES) {
      expect(statSync(join(root, `etc/init.d/${unit(service)}`)).mode & 0o777).toBe(0o755);
      expect(readFileSync(join(root, `usr/lib/smartgrid/${unit(service)}.js`), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    }
    expect(existsSync(join(uciDir, 'smartgrid'))).toBe(true);
  });

  it('takes the device configuration through uci: secrets, state paths inside the root, absent brokers', async () => {
    const [brokerPort, upstreamPort] = [await closedPort(), await closedPort()];
    uciSetAndCommit(root, {
      ...SECRETS,
      // The processes are not chrooted: their state directories must not be the host's /var/lib or /etc.
      'smartgrid.telemetry.queue_dir': join(root, 'var/lib/smartgrid/telemetry'),
      'smartgrid.lte.state_dir': join(root, 'etc/smartgrid/lte'),
      'smartgrid.telemetry.broker_port': String(brokerPort),
      'smartgrid.telemetry.upstream_port': String(upstreamPort),
    });
    const committed = readFileSync(join(uciDir, 'smartgrid'), 'utf8');
    expect(committed).toContain(`option upstream_access_token '${SECRETS['smartgrid.telemetry.upstream_access_token']}'`);
  });

  it('starts every service from its installed init script; each answers `ubus call smartgrid.<svc> status`', async () => {
    ubusd = await startUbusd({ socketPath: socket });
    for (const service of SERVICES) {
      const run = initScript(procd, root, service, 'start');
      expect(run.messages.map((m) => m.method)).toEqual(['set']);
    }
    for (const service of SERVICES) {
      const listed = (procd.list(unit(service))[unit(service)] as { instances: Record<string, Record<string, unknown>> }).instances.instance1!;
      expect(listed).toMatchObject({ running: true, command: ['/usr/bin/node', ...packageSpec(unit(service)).service!.nodeFlags, `/usr/lib/smartgrid/${unit(service)}.js`], respawn: { threshold: 3600, timeout: 5, retry: 5 } });
    }
    for (const service of ['thread', 'halow'] as const) {
      const result = await waitForCli(service);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ service, state: EXPECTED_STATE[service] });
    }
  });

  for (const service of ['lte', 'telemetry'] as const) {
    it(`smartgrid.${service} answers status with state '${EXPECTED_STATE[service]}' though its peers (brokers, modem) are absent`, async () => {
      const status = await statusOf(service);
      expect(status, JSON.stringify(status)).toMatchObject({ service, state: EXPECTED_STATE[service] });
      expect(status.config_errors).toBeUndefined();
      expect(procd.inspect(unit(service))).toMatchObject({ running: true, spawns: 1 });
    });
  }

  it('a corrupted value on reload is rejected by name, value and rule; same pid, last good config kept', async () => {
    const before = procd.inspect(unit('telemetry'))!;
    const from = procd.syslog.entries.length;
    uciSetAndCommit(root, { 'smartgrid.telemetry.batch_max_readings': 'abc', 'smartgrid.telemetry.mode': 'data-saving' });
    const run = initScript(procd, root, 'telemetry', 'reload');
    expect(run.messages).toEqual([{ method: 'signal', body: { name: unit('telemetry'), signal: 1 } }]);
    await waitUntil(() => logSince(procd, from).some((e) => e.message.includes('smartgrid.telemetry.batch_max_readings')), 10_000, 'the config error in syslog');
    const line = logSince(procd, from).find((e) => e.message.includes('smartgrid.telemetry.batch_max_readings'))!;
    expect(line.priority).toBe('err');
    expect(line.ident).toBe(`node[${before.pid}]`);
    expect(line.message).toContain('abc');
    expect(line.message).toMatch(/integer/);
    const status = await statusOf('telemetry');
    expect(status.state).toBe('running');
    expect(status.config_errors).toEqual([expect.objectContaining({ path: 'smartgrid.telemetry.batch_max_readings', value: 'abc', rule: expect.any(String), message: expect.stringContaining('abc') })]);
    expect(status.mode, 'nothing of the rejected config applies').toBe('normal');
    expect(procd.inspect(unit('telemetry'))).toMatchObject({ running: true, pid: before.pid, spawns: 1 });
  });

  it('telemetry applies the fixed config on the next reload (configuration reloaded, nothing failed)', async () => {
    const pid = procd.inspect(unit('telemetry'))!.pid;
    const from = procd.syslog.entries.length;
    uciSetAndCommit(root, { 'smartgrid.telemetry.batch_max_readings': '500' });
    initScript(procd, root, 'telemetry', 'reload');
    const outcome = (e: { message: string }) => /configuration reloaded|service failed/.test(e.message);
    await waitUntil(() => logSince(procd, from).some(outcome), 10_000, 'the reload outcome in syslog');
    expect(logSince(procd, from).filter(outcome).map((e) => e.message)).toEqual([expect.stringContaining('configuration reloaded')]);
    const status = await statusOf('telemetry');
    expect(status).toMatchObject({ state: 'running', mode: 'data-saving' });
    expect(status.config_errors).toBeUndefined();
    expect(procd.inspect(unit('telemetry'))).toMatchObject({ running: true, pid, spawns: 1 });
  });

  it('a service started with a bad value stays up in config-error (no respawn) and recovers on reload', async () => {
    initScript(procd, root, 'thread', 'stop');
    await waitUntil(() => procd.inspect(unit('thread')) === undefined, 10_000, 'thread stopped');
    uciSetAndCommit(root, { 'smartgrid.thread.channel': '99' });
    const from = procd.syslog.entries.length;
    initScript(procd, root, 'thread', 'start');
    const status = await statusOf('thread');
    expect(status.state).toBe('config-error');
    expect(status.config_errors).toEqual([expect.objectContaining({ path: 'smartgrid.thread.channel' })]);
    const started = procd.inspect(unit('thread'))!;
    await sleep(3000);
    expect(procd.inspect(unit('thread'))).toMatchObject({ running: true, pid: started.pid, spawns: 1, respawnCount: 0 });
    expect(procd.events.filter((e) => e.service === unit('thread') && e.type === 'instance.stop' && e.pid === started.pid)).toEqual([]);
    const errorLine = logSince(procd, from).find((e) => e.message.includes('smartgrid.thread.channel'));
    expect(errorLine?.message).toMatch(/99/);
    expect(errorLine?.message).toMatch(/26|maximum/);

    uciSetAndCommit(root, { 'smartgrid.thread.channel': '15' });
    initScript(procd, root, 'thread', 'reload');
    await waitUntil(async () => (await statusOf('thread')).state === EXPECTED_STATE.thread, 10_000, 'thread recovered');
    expect((await statusOf('thread')).config_errors).toBeUndefined();
    expect(procd.inspect(unit('thread'))).toMatchObject({ running: true, pid: started.pid, spawns: 1 });
  });

  it('a rejected secret value is neither logged nor shown back in status', async () => {
    const from = procd.syslog.entries.length;
    uciSetAndCommit(root, { 'smartgrid.halow.sae_password': REJECTED_SECRET });
    initScript(procd, root, 'halow', 'reload');
    await waitUntil(() => logSince(procd, from).some((e) => e.message.includes('smartgrid.halow.sae_password')), 10_000, 'the sae_password error');
    const status = await ubusCall(socket, 'smartgrid.halow', 'status');
    uciSetAndCommit(root, { 'smartgrid.halow.sae_password': SECRETS['smartgrid.halow.sae_password'] });
    initScript(procd, root, 'halow', 'reload');
    expect(procd.syslog.text()).not.toContain(REJECTED_SECRET);
    expect(status.stdout).toContain('smartgrid.halow.sae_password');
    expect(status.stdout).not.toContain(REJECTED_SECRET);
  });

  it('stop: SIGTERM ends every service within its term_timeout with exit code 0', async () => {
    stopLogFrom = procd.syslog.entries.length;
    const stopping = SERVICES.map((service) => {
      const listed = (procd.list(unit(service))[unit(service)] as { instances: { instance1: { term_timeout: number; pid: number } } }).instances.instance1;
      initScript(procd, root, service, 'stop');
      return { service, ...listed, at: Date.now() };
    });
    await waitUntil(() => Object.keys(procd.list()).length === 0, 15_000, 'all stopped');
    for (const { service, pid, term_timeout, at } of stopping) {
      const stop = procd.events.find((e) => e.type === 'instance.stop' && e.pid === pid)!;
      expect({ service, exit_code: stop.exit_code }).toEqual({ service, exit_code: 0 });
      expect(stop.at - at).toBeLessThan(term_timeout * 1000);
    }
  });

  it('a clean stop logs nothing at err priority (no "lost the connection to ubusd" on SIGTERM)', () => {
    expect(stopLogFrom).toBeGreaterThan(0);
    expect(procd.syslog.lines().slice(stopLogFrom).filter((line) => / daemon\.err /.test(line))).toEqual([]);
  });

  it('with no ubusd at start-up every service stays up, says so once, and answers once ubusd appears', async () => {
    mkdirSync(join(work, 'late'), { recursive: true });
    for (const service of SERVICES) initScript(lateProcd, root, service, 'start');
    await sleep(2000);
    for (const service of SERVICES) {
      expect(lateProcd.inspect(unit(service)), service).toMatchObject({ running: true, spawns: 1 });
      const ubusLines = lateProcd.syslog.entries.filter((e) => e.message.includes(`[${unit(service)}`) && /ubusd/.test(e.message));
      expect(ubusLines.map((e) => e.message), service).toEqual([expect.stringContaining(lateSocket)]);
      expect(ubusLines[0]!.priority).toBe('err');
    }
    lateUbusd = await startUbusd({ socketPath: lateSocket });
    const appeared = Date.now();
    for (const service of SERVICES) {
      const status = await statusOf(service, lateSocket, 15_000);
      expect(status.state, service).toBe(EXPECTED_STATE[service]);
    }
    expect(Date.now() - appeared).toBeLessThan(10_000);
    for (const service of SERVICES) expect(lateProcd.inspect(unit(service)), service).toMatchObject({ running: true, spawns: 1 });
  });

  it('no secret value ever reaches syslog', () => {
    const logs = `${procd.syslog.text()}\n${lateProcd.syslog.text()}`;
    expect(logs.length).toBeGreaterThan(0);
    for (const [option, value] of Object.entries(SECRETS)) expect(logs.includes(value), option).toBe(false);
  });
});

async function waitForCli(service: ServiceName): Promise<Awaited<ReturnType<typeof ubusCall>>> {
  let result = await ubusCall(socket, `smartgrid.${service}`, 'status');
  const deadline = Date.now() + 10_000;
  while (result.code !== 0 && Date.now() < deadline) {
    await sleep(100);
    result = await ubusCall(socket, `smartgrid.${service}`, 'status');
  }
  return result;
}
