// Pieces of bench/telemetry.bench.ts: counting observers, paced publishers, /proc sampling, a bridge broker.
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { TestCerts } from '../../helpers/certs.js';
import { startMosquitto, type Mosquitto } from '../../helpers/mosquitto.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts readings arriving upstream and records publish->receipt latency (ts carries the publish time). */
export class CountingObserver {
  received = 0;
  latencies: number[] = [];
  lastAt = 0;
  private constructor(readonly client: MqttClient) {}

  static async connect(url: string, certs: TestCerts, topics: string[], mode: 'gateway' | 'raw'): Promise<CountingObserver> {
    const client = mqtt.connect(url, { ca: readFileSync(certs.caCert), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey), clean: true, protocolVersion: 4, reconnectPeriod: 200 });
    const observer = new CountingObserver(client);
    client.on('message', (topic, payload) => {
      const now = Date.now();
      observer.lastAt = now;
      if (mode === 'raw') { observer.add(JSON.parse(payload.toString()).ts, now); return; }
      if (topic !== 'v1/gateway/telemetry') return;
      for (const entries of Object.values(JSON.parse(payload.toString()) as Record<string, Array<{ ts: number }>>)) for (const e of entries) observer.add(e.ts, now);
    });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    await client.subscribeAsync(topics, { qos: 1 });
    return observer;
  }

  private add(ts: number, now: number): void {
    this.received++;
    if (ts > 1e12 && now - ts < 600_000) this.latencies.push(now - ts);
  }

  reset(): void { this.received = 0; this.latencies = []; }
  async close(): Promise<void> { await this.client.endAsync(true); }
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function publisher(port: number): Promise<MqttClient> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, clean: true });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  return client;
}

export function reading(meter: number, seq: number, ts: number): string {
  return JSON.stringify({ ts, seq, values: { energy_import_kwh: 1234.567 + seq / 1000, power_import_kw: 1.25, voltage_l1_v: 230.1 } });
}

/** As fast as QoS 1 allows with `window` publishes outstanding. */
export async function blast(client: MqttClient, total: number, meters: number, window = 500): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await client.publishAsync(`telemetry/r1/dcu${i % 10}/m${i % meters}`, reading(i % meters, i, Date.now()), { qos: 1 });
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
}

/** `rate` readings per second for `seconds`, in 10 ms ticks. */
export async function paced(client: MqttClient, rate: number, seconds: number, meters: number): Promise<number> {
  const perTick = rate / 100;
  const start = Date.now();
  let sent = 0;
  for (let tick = 0; tick < seconds * 100; tick++) {
    for (let j = 0; j < perTick; j++, sent++) void client.publishAsync(`telemetry/r1/dcu${sent % 10}/m${sent % meters}`, reading(sent % meters, 10_000_000 + sent, Date.now()), { qos: 1 });
    const due = start + (tick + 1) * 10;
    await sleep(Math.max(0, due - Date.now()));
  }
  return sent;
}

export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch { return NaN; }
}

export function writeBytes(pid: number): number {
  try { return Number(/write_bytes:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN); } catch { return NaN; }
}

/** The baseline: a local mosquitto bridging `telemetry/#` to the upstream over TLS, persistence on. */
export async function startBridge(upstream: Mosquitto, certs: TestCerts): Promise<Mosquitto> {
  return startMosquitto({
    persistence: true, autosaveSeconds: 1, maxInflight: 1000,
    extra: [
      'connection upstream', `address 127.0.0.1:${upstream.tlsPort}`, 'topic telemetry/# out 1', 'cleansession false',
      `bridge_cafile ${certs.caCert}`, `bridge_certfile ${certs.clientCert}`, `bridge_keyfile ${certs.clientKey}`, 'bridge_insecure false',
      'bridge_protocol_version mqttv311', 'try_private true', 'clientid bench-bridge',
    ],
  });
}
