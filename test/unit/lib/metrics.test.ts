import { describe, expect, it } from 'vitest';
import { MetricsRegistry, RateMeter } from '../../../src/lib/metrics.js';

describe('metrics', () => {
  it('rate meter averages over its window and forgets old buckets', () => {
    let now = 1_000_000;
    const meter = new RateMeter(10, () => now);
    meter.mark(50);
    now += 1000;
    meter.mark(50);
    expect(meter.rate()).toBe(10);
    now += 20_000;
    expect(meter.rate()).toBe(0);
    expect(meter.count()).toBe(100);
  });

  it('registry snapshots every kind and reuses metrics by name', () => {
    const registry = new MetricsRegistry();
    registry.counter('readings_in').inc(3);
    registry.counter('readings_in').inc();
    registry.gauge('queue_depth').set(12);
    registry.labelled('rejects').inc('schema');
    registry.labelled('rejects').inc('schema');
    registry.labelled('rejects').inc('decode');
    expect(registry.snapshot()).toEqual({ readings_in: 4, queue_depth: 12, rejects: { schema: 2, decode: 1 } });
  });
});
