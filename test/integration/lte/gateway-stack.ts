// The gateway of the failover test, for real: in the "gw" namespace a local mosquitto (meters publish
// there), the bundled telemetry forwarder (disk queue in a temp dir) and the bundled LTE watchdog,
// both on a ubusd stand-in whose unix socket (a file, so reachable from any network namespace) the
// test process serves; in the "cloud" namespace the upstream mosquitto and a subscriber that sees
// what ThingsBoard would see on `v1/gateway/telemetry`.
import { build } from 'esbuild';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceBundleOptions } from '../../../tools/bundling/service-bundle.mjs';
import type { UbusArgs } from '../../../src/lib/ubus/types.js';
import { LTE_NODE_FLAGS, TELEMETRY_NODE_FLAGS } from '../../../tools/feed/catalog.js';
import type { UplinkTopology } from '../../helpers/netns.js';
import { startTestUbus, waitUntil, type TestUbus } from '../../helpers/ubus.js';
import { connectedModemScenario, writeScenario } from '../../stand-ins/mmcli/fixtures.js';
import { LineLog } from './line-log.js';
import { bundleLteService, lteEnv } from './service-harness.js';

const besideRoot = new URL('../../../', import.meta.url).pathname;
const root = existsSync(join(besideRoot, 'src/telemetry/main.ts')) ? besideRoot : process.cwd();

export interface StackTools { dir: string; telemetry: string; lte: string; publisher: string; cleanup(): void }

/** Bundles the two services as shipped (tools/bundling/service-bundle.mjs) and the meter publisher. */
export async function bundleStack(): Promise<StackTools> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-lte-stack-'));
  const telemetry = join(dir, 'smartgrid-telemetry.cjs');
  const publisher = join(dir, 'publisher.cjs');
  const [lte] = await Promise.all([
    bundleLteService(dir),
    build({ ...serviceBundleOptions(), entryPoints: [join(root, 'src/telemetry/main.ts')], outfile: telemetry, format: 'cjs', logLevel: 'error' }),
    build({ entryPoints: [join(root, 'test/integration/lte/publisher.ts')], outfile: publisher, bundle: true, platform: 'node', format: 'cjs', target: 'node18', external: ['cbor-extract'], logLevel: 'error' }),
  ]);
  return { dir, telemetry, lte, publisher, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

type UciValue = string | number | boolean | string[];

function uciSection(type: string, options: Record<string, UciValue>): string {
  const lines = [`config ${type} '${type}'`];
  for (const [key, value] of Object.entries(options)) {
    if (Array.isArray(value)) for (const item of value) lines.push(`\tlist ${key} '${item}'`);
    else lines.push(`\toption ${key} '${typeof value === 'boolean' ? (value ? 1 : 0) : value}'`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Settings that differ from the schema defaults, and why: the upstream is the lab's plain MQTT broker
 * in the cloud namespace (no TLS needed to test routing). Keepalive and data-saving interval are the
 * forwarder's defaults: the watchdog's set_mode makes the forwarder check its session at once, and the
 * backlog goes out right after the reconnect whatever the data-saving interval.
 */
export function telemetryOptions(queueDir: string, clientId: string, serviceAddress: string): Record<string, UciValue> {
  return {
    upstream_host: serviceAddress, upstream_port: 1883, upstream_tls: false, upstream_client_id: clientId,
    queue_dir: queueDir, log_level: 'notice',
  };
}

/**
 * The watchdog with its schema defaults except where the lab differs from a gateway: routes come from
 * `ip route` (no netifd here), the uplinks are the veths "wan" and "lte", and the probes go to the
 * cloud addresses (the default public targets do not exist in the lab).
 */
export function lteOptions(topology: UplinkTopology): Record<string, UciValue> {
  return {
    route_source: 'ip', wan_device: 'wan', device: 'lte',
    probe_targets: [topology.serviceAddress], uplink_targets: [topology.serviceAddress, ...topology.probeTargets], log_level: 'notice',
  };
}

/** Options of either service that a scenario sets on top of the lab's (e.g. a shorter failback hold). */
export interface StackOverrides { telemetry?: Record<string, UciValue>; lte?: Record<string, UciValue> }

export interface GatewayStack {
  bus: TestUbus;
  forwarderId: string;
  /** Upstream broker log (stderr, unbuffered): one line per connect/disconnect. */
  cloudLog: LineLog;
  /** Upstream subscriber: one `v1/gateway/telemetry` payload per line. */
  upstream: LineLog;
  telemetryLog: LineLog;
  lteLog: LineLog;
  telemetryStatus(): Promise<UbusArgs>;
  lteStatus(): Promise<UbusArgs>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForPort(topology: UplinkTopology, ns: string, port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`process in ${ns} exited with ${child.exitCode}`);
    try { if (topology.exec(ns, ['ss', '-ltn']).includes(`:${port} `)) return; } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`nothing listens on ${ns}:${port}`);
}

function mosquittoConf(file: string, listen: string): string {
  writeFileSync(file, [
    `listener 1883 ${listen}`, 'allow_anonymous true', 'persistence false', 'user root', 'log_dest stderr',
    'log_type error', 'log_type warning', 'log_type notice', 'log_type information', 'connection_messages true',
    'max_queued_messages 0', 'max_queued_bytes 0',
  ].join('\n') + '\n');
  return file;
}

export async function startGatewayStack(topology: UplinkTopology, tools: StackTools, overrides: StackOverrides = {}): Promise<GatewayStack> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-lte-gw-'));
  const forwarderId = `gw-${topology.gw}`;
  const started: ChildProcess[] = [];
  const spawn = (ns: string, argv: string[], env?: NodeJS.ProcessEnv) => { const child = topology.spawn(ns, argv, env); started.push(child); return child; };
  let bus: TestUbus | undefined;
  const stop = async () => {
    for (const child of started.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
    await sleep(300);
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    await bus?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const cloudBroker = spawn(topology.cloud, ['mosquitto', '-c', mosquittoConf(join(dir, 'cloud.conf'), '0.0.0.0')]);
    const cloudLog = new LineLog(cloudBroker, 'stderr');
    const localBroker = spawn(topology.gw, ['mosquitto', '-c', mosquittoConf(join(dir, 'local.conf'), '127.0.0.1')]);
    await waitForPort(topology, topology.cloud, 1883, cloudBroker);
    await waitForPort(topology, topology.gw, 1883, localBroker);
    const subscriber = spawn(topology.cloud, ['mosquitto_sub', '-h', topology.serviceAddress, '-t', 'v1/gateway/telemetry', '-q', '1', '-i', `tb-${process.pid}`, '-c']);
    const upstream = new LineLog(subscriber, 'stdout');
    await cloudLog.wait((line) => line.text.includes(`as tb-${process.pid} `), 5000, 'the upstream subscriber');

    bus = await startTestUbus();
    const scenarioFile = join(dir, 'mmcli-scenario.json');
    writeScenario(scenarioFile, connectedModemScenario());
    mkdirSync(join(dir, 'uci'));
    writeFileSync(join(dir, 'uci', 'smartgrid'),
      uciSection('telemetry', { ...telemetryOptions(join(dir, 'queue'), forwarderId, topology.serviceAddress), ...overrides.telemetry }) + '\n' +
      uciSection('lte', { ...lteOptions(topology), ...overrides.lte }));
    const env = { SMARTGRID_UBUS_SOCKET: bus.socketPath, SMARTGRID_UCI_DIR: join(dir, 'uci'), ...lteEnv(join(dir, 'lte-root'), scenarioFile) };
    const telemetryLog = new LineLog(spawn(topology.gw, [process.execPath, ...TELEMETRY_NODE_FLAGS, tools.telemetry], env), 'stderr');
    const lteLog = new LineLog(spawn(topology.gw, [process.execPath, ...LTE_NODE_FLAGS, tools.lte], env), 'stderr');
    const client = bus.client;
    const telemetryStatus = () => client.call('smartgrid.telemetry', 'status', {}, { timeoutMs: 3000 });
    const lteStatus = () => client.call('smartgrid.lte', 'status', {}, { timeoutMs: 3000 });
    await waitUntil(async () => {
      const status = await telemetryStatus().catch(() => ({} as UbusArgs));
      return status.connection === 'connected' && status.local_broker === 'connected';
    }, 20_000, 'the forwarder connected to both brokers');
    await waitUntil(async () => {
      const status = await lteStatus().catch(() => ({} as UbusArgs));
      return (status.failover as { active_uplink?: string } | undefined)?.active_uplink === 'wan';
    }, 20_000, 'the watchdog to see the WAN');
    return { bus, forwarderId, cloudLog, upstream, telemetryLog, lteLog, telemetryStatus, lteStatus, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
