// The CoAP bridge (the shipped code, in this process) against a real mosquitto, with libcoap's
// coap-client as the Thread node and coap-server as the node's command resource.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import mqtt, { type MqttClient } from 'mqtt';
import { threadSchema } from '../../../src/lib/config/schemas/index.js';
import { schemaDefaults } from '../../../src/lib/config/validate.js';
import { createLogger, memorySink } from '../../../src/lib/log.js';
import { CoapBridge } from '../../../src/thread/coap/bridge.js';
import { bridgeSettings } from '../../../src/thread/coap/settings.js';
import type { ThreadConfig } from '../../../src/thread/config.js';
import { startMosquitto, type Mosquitto } from '../../helpers/mosquitto.js';
import { requireTool } from '../../helpers/tools.js';

export const THREAD_DEFAULTS = schemaDefaults<ThreadConfig>(threadSchema);

export async function freeUdpPort(host = '::1'): Promise<number> {
  const socket = createSocket('udp6');
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export interface Received { topic: string; payload: Buffer }

/** A subscriber on the local broker that records every message. */
export async function recorder(broker: Mosquitto, filters: string[]): Promise<{ client: MqttClient; messages: Received[] }> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`, { clientId: `rec-${Math.random().toString(16).slice(2, 8)}`, protocolVersion: 4, reconnectPeriod: 200 });
  const messages: Received[] = [];
  client.on('message', (topic, payload) => messages.push({ topic, payload }));
  await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
  await client.subscribeAsync(filters, { qos: 1 });
  return { client, messages };
}

export interface BridgeRun {
  bridge: CoapBridge;
  config: ThreadConfig;
  logs: string[];
  events: Array<{ what: string; data: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export async function startBridge(broker: Mosquitto, overrides: Partial<ThreadConfig>, extra: { interfaceAddresses?: (name: string) => string[]; addressPollMs?: number } = {}): Promise<BridgeRun> {
  const config: ThreadConfig = { ...THREAD_DEFAULTS, mqtt_host: '127.0.0.1', mqtt_port: broker.port, coap_listen: ['::1'], region: 'eu', ...overrides };
  const sink = memorySink();
  const events: BridgeRun['events'] = [];
  const bridge = new CoapBridge({
    settings: bridgeSettings(config), log: createLogger({ name: 'smartgrid-thread', level: 'debug', sink }),
    emit: (what, data) => events.push({ what, data }), ...extra,
  });
  await bridge.start();
  await waitUntil(() => bridge.brokerConnected, 'the bridge to connect to mosquitto');
  return { bridge, config, logs: sink.lines, events, stop: () => bridge.stop() };
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface ClientRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  readonly exited: boolean;
  /** What it printed so far (stdout; with -v 6 or more, every PDU it sent and received). */
  readonly stdout: string;
}

/** coap-client-notls as a node: `-B` bounds its own wait; the test waits for its exit. */
export function coapClient(args: string[]): ClientRun {
  requireTool('coap-client-notls');
  const child = spawn('coap-client-notls', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  let exited = false;
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('close', (code) => { exited = true; resolve({ code, stdout, stderr }); }));
  return { child, done, get exited() { return exited; }, get stdout() { return stdout; } };
}

/** POSTs one payload (a file for binary) and waits for coap-client's exit. */
export function post(port: number, contentFormat: number, payload: Buffer | string, more: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const body = typeof payload === 'string' ? ['-e', payload] : ['-f', writeTemp(payload)];
  return coapClient(['-m', 'post', '-t', String(contentFormat), '-B', '30', '-w', ...body, ...more, `coap://[::1]:${port}/t`]).done;
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
function writeTemp(bytes: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sg-coap-')), 'payload.bin');
  writeFileSync(file, bytes);
  return file;
}

/**
 * coap-server-notls as the node's command side: `-d` lets a PUT create up to `maxResources` resources
 * (2.01, then 2.04 for the same one; 4.06 once the limit is reached), GET reads one back.
 */
export function coapServer(port: number, address = '::1', maxResources = 20): ChildProcess {
  requireTool('coap-server-notls');
  return spawn('coap-server-notls', ['-A', address, '-p', String(port), '-d', String(maxResources)], { stdio: 'ignore' });
}

export { startMosquitto };
