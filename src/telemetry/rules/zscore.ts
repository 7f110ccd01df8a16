import { BoundedMap, describeRange, type Anomaly } from './types.js';

interface Ewma { mean: number; variance: number; count: number }

/**
 * Exponentially weighted mean and variance per meter and key (alpha = 2/(window+1)). After
 * `window` readings of warm-up, a value further than `threshold` deviations from the mean is an
 * anomaly. The value still updates the statistics, so a lasting level shift stops alarming.
 */
export class ZScoreDetector {
  private readonly alpha: number;
  private readonly state: BoundedMap<Map<string, Ewma>>;

  constructor(private readonly keys: ReadonlySet<string>, private readonly window: number, private readonly threshold: number, maxMeters: number) {
    this.alpha = 2 / (window + 1);
    this.state = new BoundedMap(maxMeters);
  }

  check(meter: string, ts: number, key: string, value: number): Anomaly | undefined {
    if (!this.keys.has(key)) return undefined;
    let perKey = this.state.get(meter);
    if (!perKey) { perKey = new Map(); this.state.set(meter, perKey); }
    const ewma = perKey.get(key);
    if (!ewma) { perKey.set(key, { mean: value, variance: 0, count: 1 }); return undefined; }
    let anomaly: Anomaly | undefined;
    if (ewma.count >= this.window) {
      const deviation = Math.max(Math.sqrt(ewma.variance), 1e-9);
      const z = Math.abs(value - ewma.mean) / deviation;
      if (z > this.threshold) {
        const min = ewma.mean - this.threshold * deviation;
        const max = ewma.mean + this.threshold * deviation;
        anomaly = { meter, ts, rule: 'zscore', key, value, min, max, reason: `${key}=${value} is ${z.toFixed(1)} deviations from the mean (expected ${describeRange(min, max)})` };
      }
    }
    const diff = value - ewma.mean;
    const increment = this.alpha * diff;
    ewma.mean += increment;
    ewma.variance = (1 - this.alpha) * (ewma.variance + diff * increment);
    ewma.count++;
    return anomaly;
  }
}
