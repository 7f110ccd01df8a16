import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import schemaJson from '../../../src/lib/config/schemas/telemetry.schema.json';
import { Daemon } from '../../../src/lib/lifecycle.js';
import { createLogger, memorySink } from '../../../src/lib/log.js';
import { MetricsRegistry } from '../../../src/lib/metrics.js';
import type { TelemetryConfig } from '../../../src/telemetry/config.js';
import { openDiskQueue } from '../../../src/telemetry/open-queue.js';
import { TelemetryService } from '../../../src/telemetry/service.js';
import { generateCerts, type TestCerts } from '../../helpers/certs.js';
import { startMosquitto, type Mosquitto } from '../../helpers/mosquitto.js';
import { startTestUbus, type TestUbus } from '../../helpers/ubus.js';
import { DEFAULTS, localPublisher, UpstreamObserver, waitFor } from './harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HISTORY_INTERVAL_MS = 250;
type Sample = { ts: number; in: number; out: number; rejects: number; depth: Record<string, number>; oldest_age_s: number };

describe('ubus smartgrid.telemetry through the ubusd stand-in', () => {
  let certs: TestCerts;
  let local: Mosquitto;
  let upstream: Mosquitto;
  let observer: UpstreamObserver;
  let bus: TestUbus;
  let daemon: Daemon<TelemetryConfig>;
  let publisher: MqttClient;
  let queueDir: string;
  const events: Array<{ event: string; data: Record<string, unknown> }> = [];

  beforeAll(async () => {
    certs = generateCerts();
    local = await startMosquitto({ maxInflight: 1000 });
    upstream = await startMosquitto({ tls: { certs }, plain: false, persistence: true });
    observer = await UpstreamObserver.connect(`mqtts://localhost:${upstream.tlsPort}`, certs);
    bus = await startTestUbus();
    await bus.client.listen('smartgrid.telemetry.*', (event, data) => events.push({ event, data }));
    queueDir = mkdtempSync(join(tmpdir(), 'sg-ubus-queue-'));
    const config: TelemetryConfig = {
      ...DEFAULTS, broker_port: local.port, broker_client_id: 'fw-ubus', upstream_host: 'localhost', upstream_port: upstream.tlsPort,
      upstream_ca_file: certs.caCert, upstream_client_id: 'gw-ubus', queue_dir: queueDir, backoff_initial_ms: 200, backoff_max_ms: 1000,
      rule_range: ['voltage_l1_v=207:253'], data_saving_interval: 3600,
    };
    daemon = new Daemon<TelemetryConfig>({
      name: 'telemetry', log: createLogger({ name: 'smartgrid-telemetry', sink: memorySink() }), metrics: new MetricsRegistry(),
      ubus: await bus.newClient(), config: { load: async () => ({ ok: true, config }) },
      create: (context) => new TelemetryService(context, openDiskQueue, { historyIntervalMs: HISTORY_INTERVAL_MS }),
      methods: { flush: {}, set_mode: { mode: 'string' }, stats: {}, history: { since: 'int64' } },
    });
    await daemon.start();
    publisher = await localPublisher(local);
    expect(schemaJson.$id).toBe('smartgrid.telemetry');
  });

  afterAll(async () => {
    await publisher?.endAsync(true);
    await daemon?.stop();
    await bus?.stop();
    await observer?.close();
    await local?.dispose();
    await upstream?.dispose();
    certs?.cleanup();
    rmSync(queueDir, { recursive: true, force: true });
  });

  it('status reports connection, upstream, queue depth per class, rates, rejects and last error', async () => {
    await waitFor(async () => (await bus.client.call('smartgrid.telemetry', 'status')).connection === 'connected', 15_000, 'connected');
    await publisher.publishAsync('telemetry/eu/d1/u1', JSON.stringify({ ts: Date.UTC(2026, 0, 1), values: { voltage_l1_v: 300 } }), { qos: 1 });
    await publisher.publishAsync('telemetry/eu/d1/u1', 'not json {', { qos: 1 });
    await waitFor(() => observer.telemetry.has('u1'), 10_000, 'reading upstream');
    // The observer can see the reading before the forwarder has its PUBACK and acks the queue.
    const emptied = async () => Object.values(((await bus.client.call('smartgrid.telemetry', 'status')).queue as { depth: Record<string, number> }).depth).every((n) => n === 0);
    await waitFor(emptied, 10_000, 'queue acknowledged');
    const status = await bus.client.call('smartgrid.telemetry', 'status');
    expect(status).toMatchObject({ state: 'running', mode: 'normal', connection: 'connected', upstream: `mqtts://localhost:${upstream.tlsPort}`, local_broker: 'connected', last_error: '' });
    expect((status.queue as { depth: Record<string, number> }).depth).toEqual({ alarm: 0, event: 0, telemetry: 0 });
    expect((status.queue as { disk_bytes: number }).disk_bytes).toBeGreaterThan(0);
    expect(status.rejects).toEqual({ 'decode-cbor': 1 });
    expect(typeof status.rate_in).toBe('number');
    await waitFor(() => events.some((e) => e.event === 'smartgrid.telemetry.anomaly'), 5000, 'anomaly event');
    expect(events.find((e) => e.event === 'smartgrid.telemetry.anomaly')!.data).toMatchObject({ rule: 'range', key: 'voltage_l1_v', value: 300, min: 207, max: 253 });
    expect(events.some((e) => e.event === 'smartgrid.telemetry.connect')).toBe(true);
  });

  it('set_mode data-saving holds partial batches until flush; stats counts them', async () => {
    expect(await bus.client.call('smartgrid.telemetry', 'set_mode', { mode: 'data-saving' })).toEqual({ mode: 'data-saving' });
    await expect(bus.client.call('smartgrid.telemetry', 'set_mode', { mode: 'turbo' })).rejects.toMatchObject({ status: 'INVALID_ARGUMENT' });
    for (let i = 0; i < 20; i++) await publisher.publishAsync('telemetry/eu/d1/saver', JSON.stringify({ ts: Date.UTC(2026, 0, 2) + i, values: { energy_import_kwh: i } }), { qos: 1 });
    await waitFor(async () => ((await bus.client.call('smartgrid.telemetry', 'status')).queue as { depth: { telemetry: number } }).depth.telemetry === 20, 5000, 'held in the queue');
    await new Promise((r) => setTimeout(r, 300));
    expect(observer.telemetry.has('saver')).toBe(false);
    const flushed = await bus.client.call('smartgrid.telemetry', 'flush');
    expect(flushed).toMatchObject({ flushed: true, queued: 20 });
    await waitFor(() => (observer.telemetry.get('saver')?.length ?? 0) === 20, 5000, 'flushed upstream');
    const telemetryMessages = observer.messages.filter((m) => m.topic === 'v1/gateway/telemetry' && m.payload.toString().includes('"saver"'));
    expect(telemetryMessages).toHaveLength(1);
    await waitFor(async () => (await bus.client.call('smartgrid.telemetry', 'stats')).readings_out === 22, 5000, 'PUBACKs counted');
    const stats = await bus.client.call('smartgrid.telemetry', 'stats');
    expect(stats).toMatchObject({ readings_in: 21, readings_out: 21 + 1 /* the alarm record */, duplicates: 0 });
    expect(await bus.client.call('smartgrid.telemetry', 'set_mode', { mode: 'normal' })).toEqual({ mode: 'normal' });
  });

  it('status lists recent anomalies and rejects newest first, bounded, meter ids verbatim', async () => {
    const meter = '<img src=x onerror=alert(1)>';
    for (let i = 0; i < 25; i++) {
      await publisher.publishAsync(`telemetry/eu/d1/${meter}`, JSON.stringify({ ts: Date.UTC(2026, 0, 3) + i, values: { voltage_l1_v: 100 + i } }), { qos: 1 });
    }
    for (let i = 0; i < 12; i++) await publisher.publishAsync(`telemetry/eu/d1/bad${i}`, `{"ts": ${i}`, { qos: 1 });
    await waitFor(async () => {
      const status = await bus.client.call('smartgrid.telemetry', 'status');
      return (status.recent_anomalies as Array<{ value: number }>)[0]?.value === 124 && (status.recent_rejects as Array<{ topic: string }>)[0]?.topic === 'telemetry/eu/d1/bad11';
    }, 10_000, 'recent lists updated');
    const status = await bus.client.call('smartgrid.telemetry', 'status');
    const anomalies = status.recent_anomalies as Array<Record<string, unknown>>;
    expect(anomalies).toHaveLength(20);
    expect(anomalies.map((a) => a.value)).toEqual(Array.from({ length: 20 }, (_, i) => 124 - i));
    expect(anomalies[0]).toEqual({ ts: Date.UTC(2026, 0, 3) + 24, meter, rule: 'range', key: 'voltage_l1_v', value: 124, min: 207, max: 253, reason: 'voltage_l1_v=124 outside 207..253' });
    const rejects = status.recent_rejects as Array<Record<string, unknown>>;
    expect(rejects.map((r) => r.topic)).toEqual(Array.from({ length: 10 }, (_, i) => `telemetry/eu/d1/bad${11 - i}`));
    expect(rejects[0]).toMatchObject({ reason: 'decode-json' });
    expect(String(rejects[0]!.detail)).toContain('invalid JSON');
    expect(Math.abs(Number(rejects[0]!.ts) - Date.now())).toBeLessThan(60_000);
  });

  it('history returns the sampled rates and queue depth oldest first, and only newer samples with since', async () => {
    const object = await bus.client.lookup('smartgrid.telemetry');
    expect(object[0]!.signature.history).toEqual({ since: 'int64' });
    const covered = (samples: Sample[]) => samples.length >= 3 && samples.some((s) => s.in > 0) && samples.some((s) => s.out > 0) && samples.some((s) => s.rejects > 0);
    await waitFor(async () => covered((await bus.client.call('smartgrid.telemetry', 'history')).samples as Sample[]), 5000, 'samples covering the earlier traffic');
    const full = await bus.client.call('smartgrid.telemetry', 'history');
    expect(full).toMatchObject({ interval_s: HISTORY_INTERVAL_MS / 1000, window_s: 3600 });
    const samples = full.samples as Sample[];
    expect(samples.every((s, i) => i === 0 || s.ts > samples[i - 1]!.ts)).toBe(true);
    expect(Object.keys(samples[0]!.depth).sort()).toEqual(['alarm', 'event', 'telemetry']);
    expect(covered(samples)).toBe(true);

    // Readings from elsewhere (a redelivery under load) may land in the window too: bound the sum by
    // the counter read before the window opened instead of assuming only our 30 arrive.
    const inBefore = (await bus.client.call('smartgrid.telemetry', 'stats')).readings_in as number;
    const readAt = Date.now();
    await waitFor(async () => ((await bus.client.call('smartgrid.telemetry', 'history', { since: readAt })).samples as Sample[]).length > 0, 5000, 'a sample after the counter was read');
    const mark = ((await bus.client.call('smartgrid.telemetry', 'history', { since: readAt })).samples as Sample[])[0]!.ts;
    for (let i = 0; i < 30; i++) await publisher.publishAsync('telemetry/eu/d1/hist', JSON.stringify({ ts: Date.UTC(2026, 0, 4) + i, values: { energy_import_kwh: i } }), { qos: 1 });
    await waitFor(async () => (await bus.client.call('smartgrid.telemetry', 'stats')).readings_in as number >= inBefore + 30, 5000, 'readings counted');
    const counted = Date.now();
    await waitFor(async () => ((await bus.client.call('smartgrid.telemetry', 'history', { since: counted })).samples as Sample[]).length > 0, 5000, 'a sample after the readings');
    const newer = (await bus.client.call('smartgrid.telemetry', 'history', { since: mark })).samples as Sample[];
    expect(newer.length).toBeGreaterThan(0);
    expect(newer.every((s) => s.ts > mark)).toBe(true);
    const all = (await bus.client.call('smartgrid.telemetry', 'history')).samples as Sample[];
    expect(all.slice(all.length - newer.length)).toEqual(newer);
    // Each rate is an average over the time since the previous sample: rate x elapsed gives back the readings.
    let previous = mark;
    let readings = 0;
    for (const sample of newer) { readings += (sample.in * (sample.ts - previous)) / 1000; previous = sample.ts; }
    const inAfter = (await bus.client.call('smartgrid.telemetry', 'stats')).readings_in as number;
    expect(readings).toBeGreaterThan(29.5);
    expect(readings).toBeLessThan(inAfter - inBefore + 0.5);

    expect((await bus.client.call('smartgrid.telemetry', 'history', { since: Date.now() + 60_000 })).samples).toEqual([]);
    await expect(bus.client.call('smartgrid.telemetry', 'history', { since: 'yesterday' })).rejects.toMatchObject({ status: 'INVALID_ARGUMENT' });
  });

  it('a reload with an unchanged section (procd reloads on any smartgrid commit) keeps the upstream session', async () => {
    const before = await bus.client.call('smartgrid.telemetry', 'status');
    expect(before.connection).toBe('connected');
    expect(await bus.client.call('smartgrid.telemetry', 'reload')).toEqual({ state: 'running' });
    const after = await bus.client.call('smartgrid.telemetry', 'status');
    expect(after).toMatchObject({ connection: 'connected', connected_since: before.connected_since });
    expect(after.reload_error).toBeUndefined();
  });

  it('emits disconnect when the upstream goes away', async () => {
    await upstream.stop();
    await waitFor(() => events.some((e) => e.event === 'smartgrid.telemetry.disconnect'), 10_000, 'disconnect event');
    const status = await bus.client.call('smartgrid.telemetry', 'status');
    expect(status.connection).not.toBe('connected');
    expect(String(status.last_error)).not.toBe('');
    await upstream.restart();
  });
});
