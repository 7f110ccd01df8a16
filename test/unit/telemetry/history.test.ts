import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY_INTERVAL_MS, historyIntervalFromEnv, HISTORY_INTERVAL_ENV, SampleRing, TelemetryHistory } from '../../../src/telemetry/history.js';

describe('SampleRing', () => {
  it('keeps insertion order and never grows beyond its capacity', () => {
    const ring = new SampleRing<{ ts: number }>(4);
    for (let ts = 1; ts <= 3; ts++) ring.push({ ts });
    expect(ring.list().map((s) => s.ts)).toEqual([1, 2, 3]);
    for (let ts = 4; ts <= 11; ts++) ring.push({ ts });
    expect(ring.size).toBe(4);
    expect(ring.list().map((s) => s.ts)).toEqual([8, 9, 10, 11]);
  });

  it('returns only entries strictly newer than `since`, oldest first', () => {
    const ring = new SampleRing<{ ts: number }>(5);
    for (let ts = 10; ts <= 80; ts += 10) ring.push({ ts });
    expect(ring.list(50).map((s) => s.ts)).toEqual([60, 70, 80]);
    expect(ring.list(80)).toEqual([]);
    expect(ring.list(0).map((s) => s.ts)).toEqual([40, 50, 60, 70, 80]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new SampleRing(0)).toThrow(/positive integer/);
    expect(() => new SampleRing(2.5)).toThrow(/positive integer/);
  });
});

describe('TelemetryHistory', () => {
  function fixture(intervalMs: number) {
    const totals = { in: 0, out: 0, rejects: 0, depth: { alarm: 0, event: 0, telemetry: 0 }, oldest: 0 };
    let clock = 1_000_000;
    const history = new TelemetryHistory({
      readingsIn: () => totals.in, readingsOut: () => totals.out, rejects: () => totals.rejects,
      depth: () => totals.depth, oldestAgeS: () => totals.oldest,
    }, { intervalMs, now: () => clock });
    return { totals, history, advance: (ms: number) => { clock += ms; } };
  }

  it('turns counter deltas into per-second rates over the interval and copies queue depth per class', () => {
    const { totals, history, advance } = fixture(30_000);
    history.start();
    advance(30_000);
    totals.in = 900; totals.out = 600; totals.rejects = 3;
    totals.depth = { alarm: 1, event: 2, telemetry: 300 }; totals.oldest = 12;
    const first = history.sample();
    expect(first).toEqual({ ts: 1_030_000, in: 30, out: 20, rejects: 0.1, depth: { alarm: 1, event: 2, telemetry: 300 }, oldest_age_s: 12 });
    totals.depth.telemetry = 0;
    expect(first.depth.telemetry).toBe(300);
    advance(30_000);
    totals.in = 915;
    expect(history.sample()).toMatchObject({ in: 0.5, out: 0, rejects: 0 });
    history.stop();
  });

  it('holds exactly one hour of samples and serves `since` from it', () => {
    const { history, advance } = fixture(30_000);
    expect(history.capacity).toBe(120);
    for (let i = 0; i < 300; i++) { advance(30_000); history.sample(); }
    const all = history.samples();
    expect(all).toHaveLength(120);
    expect(all[all.length - 1]!.ts - all[0]!.ts).toBe(119 * 30_000);
    expect(all.every((s, i) => i === 0 || s.ts > all[i - 1]!.ts)).toBe(true);
    const newer = history.samples(all[117]!.ts);
    expect(newer.map((s) => s.ts)).toEqual([all[118]!.ts, all[119]!.ts]);
  });

  it('samples on its own timer until stopped', async () => {
    const history = new TelemetryHistory({ readingsIn: () => 0, readingsOut: () => 0, rejects: () => 0, depth: () => ({ alarm: 0, event: 0, telemetry: 0 }), oldestAgeS: () => 0 }, { intervalMs: 100 });
    history.start();
    await new Promise((resolve) => setTimeout(resolve, 450));
    history.stop();
    const taken = history.samples().length;
    expect(taken).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(history.samples().length).toBe(taken);
  });

  it('reads the interval from the environment, keeping 30 s unless a usable value is set', () => {
    expect(historyIntervalFromEnv({})).toBe(DEFAULT_HISTORY_INTERVAL_MS);
    expect(historyIntervalFromEnv({ [HISTORY_INTERVAL_ENV]: '1000' })).toBe(1000);
    expect(historyIntervalFromEnv({ [HISTORY_INTERVAL_ENV]: 'soon' })).toBe(DEFAULT_HISTORY_INTERVAL_MS);
    expect(historyIntervalFromEnv({ [HISTORY_INTERVAL_ENV]: '5' })).toBe(DEFAULT_HISTORY_INTERVAL_MS);
  });
});
