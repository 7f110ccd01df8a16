import { encode as encodeCbor } from 'cbor-x';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPublisher, startBrokers, startService, upstreamConfig, waitFor, type Brokers, type RunningService, serviceReady } from './harness.js';

describe('telemetry end to end: local mosquitto -> forwarder -> upstream mosquitto over TLS', () => {
  let brokers: Brokers;
  let running: RunningService;
  let publisher: MqttClient;
  let deadLetters: Array<Record<string, unknown>>;

  beforeAll(async () => {
    brokers = await startBrokers();
    running = await startService({
      broker_port: brokers.local.port,
      ...upstreamConfig(brokers.upstream, brokers.certs, { upstream_access_token: 'gateway-token-1234' }),
      batch_max_bytes: 4096,
      obis_map: ['1-0:99.8.0=custom_kwh'],
      rule_range: ['voltage_l1_v=207:253'],
      rule_rate: ['energy_import_kwh=1'],
      zscore_keys: ['power_import_kw'],
      zscore_window: 20,
      zscore_threshold: 4,
    });
    await waitFor(() => serviceReady(running), 15_000, 'service connected');
    publisher = await localPublisher(brokers.local);
    deadLetters = [];
    await publisher.subscribeAsync(running.config.dead_letter_topic, { qos: 0 });
    publisher.on('message', (topic, payload) => { if (topic === running.config.dead_letter_topic) deadLetters.push(JSON.parse(payload.toString())); });
  });

  afterAll(async () => {
    await publisher?.endAsync(true);
    await running?.stop();
    await brokers?.close();
  });

  it('forwards JSON, CBOR, batch and OBIS readings as gateway connect + telemetry with normalised keys', async () => {
    const t0 = Date.UTC(2026, 10, 1);
    await publisher.publishAsync('telemetry/eu/dcu1/m-json', JSON.stringify({ ts: t0, values: { energy_import_kwh: 10.5, voltage_l1_v: 230 } }), { qos: 1 });
    await publisher.publishAsync('telemetry/eu/dcu1/m-cbor', Buffer.from(encodeCbor({ ts: t0, obis: { '1-0:1.8.0': 7.25, '1-0:32.7.0': 231.5 } })), { qos: 1 });
    await publisher.publishAsync('telemetry/eu/dcu2/m-batch', JSON.stringify([
      { ts: t0, seq: 1, values: { '1-0:14.7.0': 50.01 } },
      { ts: t0 + 1000, seq: 2, obis: { '1-0:99.8.0': 3, '1-0:1.8.1': 4 } },
    ]), { qos: 1 });
    await publisher.publishAsync('telemetry/eu/dcu2/m-env', JSON.stringify({ readings: [{ ts: new Date(t0).toISOString(), values: { '13.7.0': 0.97 } }] }), { qos: 1 });
    await waitFor(() => brokers.observer.count() >= 5, 10_000, 'five readings upstream');
    expect(brokers.observer.telemetry.get('m-json')).toEqual([{ ts: t0, values: { energy_import_kwh: 10.5, voltage_l1_v: 230 } }]);
    expect(brokers.observer.telemetry.get('m-cbor')).toEqual([{ ts: t0, values: { energy_import_kwh: 7.25, voltage_l1_v: 231.5 } }]);
    expect(brokers.observer.telemetry.get('m-batch')).toEqual([
      { ts: t0, values: { frequency_hz: 50.01 } },
      { ts: t0 + 1000, values: { custom_kwh: 3, energy_import_t1_kwh: 4 } },
    ]);
    expect(brokers.observer.telemetry.get('m-env')).toEqual([{ ts: t0, values: { power_factor: 0.97 } }]);
    expect(new Set(brokers.observer.connects)).toEqual(new Set(['m-json', 'm-cbor', 'm-batch', 'm-env']));
    // Each meter is announced before its first telemetry.
    for (const meter of ['m-json', 'm-cbor']) {
      const connectAt = brokers.observer.messages.findIndex((m) => m.topic === 'v1/gateway/connect' && m.payload.toString().includes(meter));
      const dataAt = brokers.observer.messages.findIndex((m) => m.topic === 'v1/gateway/telemetry' && m.payload.toString().includes(`"${meter}"`));
      expect(connectAt).toBeGreaterThanOrEqual(0);
      expect(connectAt).toBeLessThan(dataAt);
    }
  });

  it('keeps per-meter order and every batch under batch_max_bytes', async () => {
    const t0 = Date.UTC(2026, 10, 2);
    const meters = ['ord-a', 'ord-b', 'ord-c'];
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      for (const meter of meters) sends.push(publisher.publishAsync(`telemetry/eu/dcu3/${meter}`, JSON.stringify({ ts: t0 + i * 1000, values: { energy_import_kwh: i, note: 'x'.repeat(40) } }), { qos: 1 }));
    }
    await Promise.all(sends);
    await waitFor(() => meters.every((m) => (brokers.observer.telemetry.get(m)?.length ?? 0) >= 300), 20_000, '900 readings upstream');
    for (const meter of meters) {
      expect(brokers.observer.telemetry.get(meter)!.map((e) => e.ts)).toEqual(Array.from({ length: 300 }, (_, i) => t0 + i * 1000));
    }
    const sizes = brokers.observer.messages.filter((m) => m.topic === 'v1/gateway/telemetry').map((m) => m.payload.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
    expect(sizes.some((size) => size > 2048)).toBe(true);
  });

  it('rejects malformed and invalid payloads by reason to the dead-letter topic, drops duplicates, and keeps flowing', async () => {
    const t0 = Date.UTC(2026, 10, 3);
    const bad: Array<[string, string | Buffer, string]> = [
      ['telemetry/eu/dcu1/bad1', '{"ts": 1, "values"', 'decode-json'],
      ['telemetry/eu/dcu1/bad2', Buffer.from([0xff, 0x00, 0x13]), 'decode-cbor'],
      ['telemetry/eu/dcu1/bad3', JSON.stringify({ ts: t0, values: { energy_import_kwh: 'x'.repeat(300) } }), 'schema'],
      ['telemetry/eu/dcu1/bad4', JSON.stringify({ ts: t0, obis: { '1-0:77.7.7': 1 } }), 'unknown-obis'],
      ['telemetry/eu/dcu1/bad5', JSON.stringify({ ts: 12, values: { a: 1 } }), 'bad-timestamp'],
      ['telemetry/eu/dcu1/bad6', JSON.stringify({ ts: t0, meter: 'other', values: { a: 1 } }), 'meter-mismatch'],
      [`telemetry/r1/d1/${'M'.repeat(256)}`, JSON.stringify({ ts: t0, values: { a: 1 } }), 'topic'],
      ['telemetry/eu/dcu1/bad7', Buffer.from(encodeCbor({ ts: t0, values: { voltage_l1_v: Number.NaN } })), 'bad-value'],
      ['telemetry/eu/dcu1/a/b/c/d/e', JSON.stringify({ ts: t0, values: { a: 1 } }), 'topic'],
      // Just above max_payload_bytes: read and rejected; 20 MB: skipped unread by the packet guard.
      ['telemetry/eu/dcu1/big1', Buffer.alloc(263_000, 0x7b), 'too-large'],
      ['telemetry/eu/dcu1/big2', Buffer.alloc(20 * 1024 * 1024, 0x7b), 'too-large'],
    ];
    for (const [topic, payload, _] of bad) await publisher.publishAsync(topic, payload, { qos: 1 });
    const good = JSON.stringify({ ts: t0, seq: 9, values: { energy_import_kwh: 1 } });
    await publisher.publishAsync('telemetry/eu/dcu1/dup', good, { qos: 1 });
    await publisher.publishAsync('telemetry/eu/dcu1/dup', good, { qos: 1 });
    await publisher.publishAsync('telemetry/eu/dcu1/dup', JSON.stringify({ ts: t0 + 5, seq: 9, values: { energy_import_kwh: 2 } }), { qos: 1 });
    await publisher.publishAsync('telemetry/eu/dcu1/dup', JSON.stringify({ ts: t0 + 1000, seq: 10, values: { energy_import_kwh: 2 } }), { qos: 1 });
    await waitFor(() => (brokers.observer.telemetry.get('dup')?.length ?? 0) >= 2 && deadLetters.length >= bad.length, 10_000, 'good readings and dead letters');
    expect(brokers.observer.telemetry.get('dup')!.map((e) => e.ts)).toEqual([t0, t0 + 1000]);
    const status = running.service.status();
    const rejects = status.rejects as Record<string, number>;
    for (const [, , reason] of bad) expect(rejects[reason], reason).toBeGreaterThanOrEqual(1);
    expect(status.duplicates).toBe(2);
    expect(deadLetters.map((d) => d.reason).sort()).toEqual(bad.map(([, , reason]) => reason).sort());
    const cbor = deadLetters.find((d) => d.reason === 'decode-cbor')!;
    expect(cbor.topic).toBe('telemetry/eu/dcu1/bad2');
    expect(Buffer.from(cbor.payload as string, 'base64')).toEqual(Buffer.from([0xff, 0x00, 0x13]));
    expect(running.logs.some((line) => line.includes('reading rejected') && line.includes('unknown-obis'))).toBe(true);
    expect(deadLetters.find((d) => d.topic === 'telemetry/eu/dcu1/a/b/c/d/e')?.detail).toContain('(8 levels) matches no topic_pattern (4 levels)');
    // Dead letters never carry a whole oversized payload.
    const big1 = deadLetters.find((d) => d.topic === 'telemetry/eu/dcu1/big1')!;
    expect(big1).toMatchObject({ truncated: true, payload_bytes: 263_000 });
    expect(Buffer.from(big1.payload as string, 'base64').length).toBe(4096);
    const big2 = deadLetters.find((d) => d.topic === 'telemetry/eu/dcu1/big2')!;
    expect(String(big2.detail)).toContain('skipped unread');
    expect(Buffer.from(big2.payload as string, 'base64').length).toBe(1024);
  });

  it('turns range, rate and z-score violations into a flag plus an alarm delivered ahead of queued telemetry', async () => {
    const t0 = Date.UTC(2026, 10, 4);
    // Warm up the z-score statistics with a noisy but steady signal.
    for (let i = 0; i < 30; i++) {
      await publisher.publishAsync('telemetry/eu/dcu1/anom', JSON.stringify({ ts: t0 + i * 1000, values: { power_import_kw: 2 + (i % 3) * 0.1, energy_import_kwh: 100 + i * 0.001, voltage_l1_v: 230 } }), { qos: 1 });
    }
    await waitFor(() => (brokers.observer.telemetry.get('anom')?.length ?? 0) >= 30, 10_000, 'warm-up');
    await brokers.upstream.stop();
    await waitFor(() => running.service.status().connection !== 'connected', 10_000, 'upstream down');
    for (let i = 0; i < 200; i++) {
      await publisher.publishAsync('telemetry/eu/dcu4/backlog', JSON.stringify({ ts: t0 + i * 1000, values: { energy_import_kwh: i * 0.001 } }), { qos: 1 });
    }
    await publisher.publishAsync('telemetry/eu/dcu1/anom', JSON.stringify({ ts: t0 + 31_000, values: { power_import_kw: 40, energy_import_kwh: 150, voltage_l1_v: 262 } }), { qos: 1 });
    await waitFor(() => running.events.some((e) => e.what === 'anomaly'), 5000, 'anomaly event');
    const before = brokers.observer.messages.length;
    await brokers.upstream.restart();
    await waitFor(() => (brokers.observer.telemetry.get('backlog')?.length ?? 0) >= 200 && (brokers.observer.telemetry.get('anom')?.length ?? 0) >= 34, 20_000, 'drain');
    const firstTelemetry = brokers.observer.messages.slice(before).find((m) => m.topic === 'v1/gateway/telemetry')!;
    const first = JSON.parse(firstTelemetry.payload.toString());
    const alarms = (first.anom as Array<{ values: Record<string, unknown> }>).filter((e) => 'alarm_rule' in e.values).map((e) => e.values);
    expect(alarms.map((a) => a.alarm_rule).sort()).toEqual(['range', 'rate', 'zscore']);
    const range = alarms.find((a) => a.alarm_rule === 'range')!;
    expect(range).toMatchObject({ alarm_key: 'voltage_l1_v', alarm_value: 262, alarm_min: 207, alarm_max: 253 });
    expect(String(range.alarm_reason)).toContain('outside 207..253');
    expect(Object.keys(first)[0]).toBe('anom');
    const flagged = brokers.observer.telemetry.get('anom')!.find((e) => e.ts === t0 + 31_000 && !('alarm_rule' in e.values))!;
    expect(flagged.values).toMatchObject({ anomaly: true, power_import_kw: 40 });
    expect(String(flagged.values.anomaly_reason)).toContain('zscore:power_import_kw');
    expect(running.events.filter((e) => e.what === 'anomaly').map((e) => e.data?.rule).sort()).toEqual(['range', 'rate', 'zscore']);
    expect(running.events.some((e) => e.what === 'disconnect')).toBe(true);
  });
});
