import { describe, expect, it } from 'vitest';
import { alarmValues, RuleEngine } from '../../../src/telemetry/rules/engine.js';
import { Backoff } from '../../../src/lib/backoff.js';
import { buildBatches } from '../../../src/telemetry/upstream/batch.js';
import type { QueueRecord } from '../../../src/telemetry/queue-port.js';

const engine = (extra: Partial<ConstructorParameters<typeof RuleEngine>[0]> = {}) =>
  new RuleEngine({ range: ['voltage_l1_v=207:253', 'frequency_hz=49.5:'], rate: ['energy_import_kwh=0.01'], zscoreKeys: ['power_import_kw'], zscoreWindow: 10, zscoreThreshold: 3, maxMeters: 100, ...extra });

describe('edge rules', () => {
  it('range: flags values outside min/max with the expected range', () => {
    const rules = engine();
    const reading = { meter: 'm', ts: 1, values: { voltage_l1_v: 260, frequency_hz: 50 } as Record<string, number | string | boolean> };
    const [anomaly, ...rest] = rules.evaluate(reading);
    expect(rest).toEqual([]);
    expect(anomaly).toMatchObject({ rule: 'range', key: 'voltage_l1_v', value: 260, min: 207, max: 253 });
    expect(reading.values).toMatchObject({ anomaly: true, anomaly_reason: 'range:voltage_l1_v' });
    expect(alarmValues(anomaly)).toEqual({ alarm_rule: 'range', alarm_key: 'voltage_l1_v', alarm_value: 260, alarm_min: 207, alarm_max: 253, alarm_reason: 'voltage_l1_v=260 outside 207..253' });
    expect(rules.evaluate({ meter: 'm', ts: 2, values: { frequency_hz: 49 } })[0]).toMatchObject({ min: 49.5, max: undefined });
  });

  it('rate: compares with the previous reading of the same meter per second; old readings are ignored', () => {
    const rules = engine();
    expect(rules.evaluate({ meter: 'm', ts: 0, values: { energy_import_kwh: 1 } })).toEqual([]);
    expect(rules.evaluate({ meter: 'm', ts: 10_000, values: { energy_import_kwh: 1.05 } })).toEqual([]);
    const [jump] = rules.evaluate({ meter: 'm', ts: 20_000, values: { energy_import_kwh: 5 } });
    expect(jump).toMatchObject({ rule: 'rate', min: 1.05 - 0.1, max: 1.05 + 0.1 });
    expect(rules.evaluate({ meter: 'other', ts: 20_000, values: { energy_import_kwh: 500 } })).toEqual([]);
    expect(rules.evaluate({ meter: 'm', ts: 5_000, values: { energy_import_kwh: 100 } })).toEqual([]);
  });

  it('z-score: silent during warm-up and for normal noise, flags an outlier per meter', () => {
    const rules = engine();
    const values = [10, 10.5, 9.5, 10.2, 9.8, 10.1, 9.9, 10.3, 9.7, 10, 10.4, 9.6];
    for (const [i, v] of values.entries()) expect(rules.evaluate({ meter: 'z', ts: i, values: { power_import_kw: v } })).toEqual([]);
    const [outlier] = rules.evaluate({ meter: 'z', ts: 99, values: { power_import_kw: 20 } });
    expect(outlier.rule).toBe('zscore');
    expect(outlier.min! < 10 && outlier.max! > 10 && outlier.max! < 20).toBe(true);
    expect(rules.evaluate({ meter: 'fresh', ts: 1, values: { power_import_kw: 20 } })).toEqual([]);
  });

  it('reports malformed rule entries instead of failing', () => {
    const bad: string[] = [];
    engine({ range: ['x=:'], rate: ['y=fast'], onInvalid: (e) => bad.push(e) });
    expect(bad).toEqual(['x=:', 'y=fast']);
  });
});

const record = (seq: number, key: string, ts: number, values: Record<string, unknown>): QueueRecord =>
  ({ seq, key, priority: 'telemetry', enqueuedAt: 0, payload: Buffer.from(JSON.stringify({ ts, values })) });

describe('gateway telemetry batches', () => {
  it('groups by meter in queue order and never exceeds the byte and reading limits', () => {
    const records = Array.from({ length: 500 }, (_, i) => record(i + 1, `meter-${i % 7}`, 1000 + i, { energy_import_kwh: i, text: 'y'.repeat(i % 50) }));
    const batches = buildBatches(records, { maxBytes: 2000, maxReadings: 30 });
    expect(batches.flatMap((b) => b.seqs)).toEqual(records.map((r) => r.seq));
    for (const batch of batches) {
      expect(batch.payload.length).toBeLessThanOrEqual(2000);
      expect(batch.readings).toBeLessThanOrEqual(30);
      const body = JSON.parse(batch.payload.toString()) as Record<string, Array<{ ts: number }>>;
      expect(Object.keys(body).sort()).toEqual([...batch.meters].sort());
      for (const entries of Object.values(body)) expect(entries.map((e) => e.ts)).toEqual([...entries.map((e) => e.ts)].sort((a, b) => a - b));
    }
    expect(batches.length).toBeGreaterThan(500 / 30);
  });

  it('data-saving drop_unchanged leaves out repeated values inside one batch only', () => {
    const records = [record(1, 'm', 1, { a: 1, b: 2 }), record(2, 'm', 2, { a: 1, b: 3 }), record(3, 'm', 3, { a: 1, b: 3 }), record(4, 'n', 3, { a: 1 })];
    const [batch] = buildBatches(records, { maxBytes: 60000, maxReadings: 100, dropUnchanged: true });
    expect(JSON.parse(batch.payload.toString())).toEqual({ m: [{ ts: 1, values: { a: 1, b: 2 } }, { ts: 2, values: { b: 3 } }], n: [{ ts: 3, values: { a: 1 } }] });
    expect(batch.seqs).toEqual([1, 2, 3, 4]);
  });
});

describe('reconnect backoff', () => {
  it('doubles with jitter in [base/2, base] and stops at the cap; reset starts over', () => {
    const low = new Backoff(1000, 8000, () => 0);
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([500, 1000, 2000, 4000, 4000]);
    const high = new Backoff(1000, 8000, () => 1);
    expect([high.next(), high.next(), high.next(), high.next(), high.next()]).toEqual([1000, 2000, 4000, 8000, 8000]);
    high.reset();
    expect(high.next()).toBe(1000);
  });
});
