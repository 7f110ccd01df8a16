import type { Reading } from '../ingest/normalize.js';
import { parseRangeRules, parseRateRules, type RangeRule, type RateRule } from './parse.js';
import { BoundedMap, describeRange, type Anomaly } from './types.js';
import { ZScoreDetector } from './zscore.js';

export interface RuleOptions {
  range: readonly string[];
  rate: readonly string[];
  zscoreKeys: readonly string[];
  zscoreWindow: number;
  zscoreThreshold: number;
  maxMeters: number;
  onInvalid?(entry: string): void;
}

/** Edge rules run on every accepted reading before it is queued. */
export class RuleEngine {
  private readonly range: Map<string, RangeRule>;
  private readonly rate: Map<string, RateRule>;
  private readonly zscore: ZScoreDetector;
  private readonly last: BoundedMap<Map<string, { ts: number; value: number }>>;

  constructor(options: RuleOptions) {
    this.range = parseRangeRules(options.range, options.onInvalid);
    this.rate = parseRateRules(options.rate, options.onInvalid);
    this.zscore = new ZScoreDetector(new Set(options.zscoreKeys), options.zscoreWindow, options.zscoreThreshold, options.maxMeters);
    this.last = new BoundedMap(options.maxMeters);
  }

  /** Returns the anomalies and marks the reading: `anomaly: true` and `anomaly_reason`. */
  evaluate(reading: Reading): Anomaly[] {
    const anomalies: Anomaly[] = [];
    for (const [key, value] of Object.entries(reading.values)) {
      if (typeof value !== 'number') continue;
      const range = this.checkRange(reading, key, value);
      if (range) anomalies.push(range);
      const rate = this.checkRate(reading, key, value);
      if (rate) anomalies.push(rate);
      const z = this.zscore.check(reading.meter, reading.ts, key, value);
      if (z) anomalies.push(z);
    }
    if (anomalies.length) {
      reading.values.anomaly = true;
      reading.values.anomaly_reason = anomalies.map((a) => `${a.rule}:${a.key}`).join(',');
    }
    return anomalies;
  }

  private checkRange(reading: Reading, key: string, value: number): Anomaly | undefined {
    const rule = this.range.get(key);
    if (!rule) return undefined;
    if ((rule.min === undefined || value >= rule.min) && (rule.max === undefined || value <= rule.max)) return undefined;
    return { meter: reading.meter, ts: reading.ts, rule: 'range', key, value, min: rule.min, max: rule.max, reason: `${key}=${value} outside ${describeRange(rule.min, rule.max)}` };
  }

  private checkRate(reading: Reading, key: string, value: number): Anomaly | undefined {
    const rule = this.rate.get(key);
    if (!rule) return undefined;
    let perKey = this.last.get(reading.meter);
    if (!perKey) { perKey = new Map(); this.last.set(reading.meter, perKey); }
    const previous = perKey.get(key);
    if (previous && reading.ts <= previous.ts) return undefined;
    perKey.set(key, { ts: reading.ts, value });
    if (!previous) return undefined;
    const allowed = (rule.maxPerSecond * (reading.ts - previous.ts)) / 1000;
    if (Math.abs(value - previous.value) <= allowed) return undefined;
    const min = previous.value - allowed;
    const max = previous.value + allowed;
    return { meter: reading.meter, ts: reading.ts, rule: 'rate', key, value, min, max, reason: `${key} changed from ${previous.value} to ${value}, more than ${rule.maxPerSecond}/s (expected ${describeRange(min, max)})` };
  }
}

/** The alarm-class record queued ahead of telemetry: plain ThingsBoard telemetry keys. */
export function alarmValues(anomaly: Anomaly): Record<string, number | string | boolean> {
  const values: Record<string, number | string | boolean> = {
    alarm_rule: anomaly.rule,
    alarm_key: anomaly.key,
    alarm_value: anomaly.value,
    alarm_reason: anomaly.reason,
  };
  if (anomaly.min !== undefined) values.alarm_min = anomaly.min;
  if (anomaly.max !== undefined) values.alarm_max = anomaly.max;
  return values;
}
