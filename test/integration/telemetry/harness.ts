import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { telemetrySchema } from '../../../src/lib/config/schemas/index.js';
import { createLogger, memorySink } from '../../../src/lib/log.js';
import { MetricsRegistry } from '../../../src/lib/metrics.js';
import { schemaDefaults } from '../../../src/lib/config/validate.js';
import type { TelemetryConfig } from '../../../src/telemetry/config.js';
import { openDiskQueue } from '../../../src/telemetry/open-queue.js';
import { TelemetryService } from '../../../src/telemetry/service.js';
import { generateCerts, type TestCerts } from '../../helpers/certs.js';
import { startMosquitto, type Mosquitto } from '../../helpers/mosquitto.js';
import { nullUbus } from './null-ubus.js';

export const DEFAULTS = schemaDefaults<TelemetryConfig>(telemetrySchema);

export interface Entry { ts: number; values: Record<string, unknown> }

/** What a ThingsBoard gateway endpoint would see: connects, telemetry per meter, raw messages. */
export class UpstreamObserver {
  readonly connects: string[] = [];
  readonly telemetry = new Map<string, Entry[]>();
  readonly messages: Array<{ topic: string; payload: Buffer; at: number }> = [];
  readonly rpcReplies: unknown[] = [];
  private constructor(readonly client: MqttClient) {}

  static async connect(url: string, certs: TestCerts, clientId = `observer-${process.pid}-${Math.random().toString(16).slice(2, 8)}`): Promise<UpstreamObserver> {
    const client = mqtt.connect(url, {
      ca: readFileSync(certs.caCert), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey),
      clientId, clean: false, reconnectPeriod: 200, protocolVersion: 4,
    });
    const observer = new UpstreamObserver(client);
    client.on('message', (topic, payload) => observer.onMessage(topic, payload));
    await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
    await client.subscribeAsync(['v1/gateway/connect', 'v1/gateway/telemetry', 'v1/gateway/rpc'], { qos: 1 });
    return observer;
  }

  private onMessage(topic: string, payload: Buffer): void {
    this.messages.push({ topic, payload, at: Date.now() });
    const body = JSON.parse(payload.toString('utf8'));
    if (topic === 'v1/gateway/connect') this.connects.push(body.device);
    else if (topic === 'v1/gateway/telemetry') {
      for (const [meter, entries] of Object.entries(body as Record<string, Entry[]>)) {
        const list = this.telemetry.get(meter) ?? [];
        list.push(...entries);
        this.telemetry.set(meter, list);
      }
    } else if (topic === 'v1/gateway/rpc' && body.id !== undefined && body.data !== undefined && body.device) this.rpcReplies.push(body);
  }

  count(): number {
    let n = 0;
    for (const entries of this.telemetry.values()) n += entries.length;
    return n;
  }

  async close(): Promise<void> { await this.client.endAsync(true); }
}

/** Test certificates, the local broker, the TLS-only upstream broker (ThingsBoard's place) and an observer on it. */
export interface Brokers {
  certs: TestCerts;
  local: Mosquitto;
  upstream: Mosquitto;
  observer: UpstreamObserver;
  /** Observer, brokers and certificates, in that order. */
  close(): Promise<void>;
}

export interface BrokerOptions {
  /** Upstream keeps sessions and queued messages across `upstream.stop()`/`restart()` (default true). */
  upstreamPersistence?: boolean;
}

export async function startBrokers(options: BrokerOptions = {}): Promise<Brokers> {
  const certs = generateCerts();
  const started: Partial<Pick<Brokers, 'local' | 'upstream' | 'observer'>> = {};
  const close = async () => {
    await started.observer?.close();
    await started.local?.dispose();
    await started.upstream?.dispose();
    certs.cleanup();
  };
  try {
    const local = started.local = await startMosquitto({ maxInflight: 1000 });
    const upstream = started.upstream = await startMosquitto({ tls: { certs }, plain: false, persistence: options.upstreamPersistence ?? true });
    const observer = started.observer = await UpstreamObserver.connect(`mqtts://localhost:${upstream.tlsPort}`, certs);
    return { certs, local, upstream, observer, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export function upstreamConfig(upstream: Mosquitto, certs: TestCerts, extra: Partial<TelemetryConfig> = {}): Partial<TelemetryConfig> {
  return { upstream_host: 'localhost', upstream_port: upstream.tlsPort, upstream_tls: true, upstream_ca_file: certs.caCert, ...extra };
}

export interface RunningService {
  service: TelemetryService;
  config: TelemetryConfig;
  logs: string[];
  events: Array<{ what: string; data?: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** The service in this process with a real DiskQueue in a temp dir. */
export async function startService(overrides: Partial<TelemetryConfig>): Promise<RunningService> {
  const queueDir = overrides.queue_dir ?? mkdtempSync(join(tmpdir(), 'sg-queue-'));
  const config: TelemetryConfig = { ...DEFAULTS, queue_dir: queueDir, upstream_client_id: 'gw-test', backoff_initial_ms: 200, backoff_max_ms: 2000, ...overrides };
  const sink = memorySink();
  const log = createLogger({ name: 'smartgrid-telemetry', level: 'debug', sink });
  const events: RunningService['events'] = [];
  const context = { log, metrics: new MetricsRegistry(), ubus: nullUbus(), config, emit: (what: string, data?: Record<string, unknown>) => { events.push({ what, data }); } };
  const service = new TelemetryService(context, openDiskQueue);
  await service.start();
  return {
    service, config, logs: sink.lines, events,
    stop: async () => { await service.stop(); if (!overrides.queue_dir) rmSync(queueDir, { recursive: true, force: true }); },
  };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function localPublisher(local: Mosquitto, clientId = `pub-${Math.random().toString(16).slice(2, 8)}`): Promise<MqttClient> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${local.port}`, { clientId, protocolVersion: 4, reconnectPeriod: 200 });
  await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
  return client;
}

export function serviceReady(running: RunningService): boolean {
  const status = running.service.status();
  return status.local_broker === 'connected' && status.connection === 'connected';
}
