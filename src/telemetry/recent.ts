import type { Rejection } from './ingest/normalize.js';
import type { Anomaly } from './rules/types.js';

/** Fixed-size ring of the latest entries; `newestFirst()` copies them out for a ubus reply. */
export class RecentRing<T> {
  private readonly entries: T[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(entry: T): void {
    if (this.entries.length < this.capacity) this.entries.push(entry);
    else this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  newestFirst(): T[] {
    const out: T[] = [];
    for (let i = 1; i <= this.entries.length; i++) out.push(this.entries[(this.next - i + this.capacity) % this.capacity]!);
    return out;
  }
}

/** One line of `recent_anomalies`; `ts` is the reading's timestamp (ms), min/max only when the rule has them. */
export type RecentAnomaly = { ts: number; meter: string; rule: string; key: string; value: number; reason: string; min?: number; max?: number };

/** One line of `recent_rejects`; `ts` is when the message was received (ms). */
export type RecentReject = { ts: number; topic: string; reason: string; detail: string };

const MAX_TEXT = 200;

export function recentAnomaly(anomaly: Anomaly): RecentAnomaly {
  const entry: RecentAnomaly = { ts: anomaly.ts, meter: anomaly.meter, rule: anomaly.rule, key: anomaly.key, value: anomaly.value, reason: anomaly.reason.slice(0, MAX_TEXT) };
  if (anomaly.min !== undefined) entry.min = anomaly.min;
  if (anomaly.max !== undefined) entry.max = anomaly.max;
  return entry;
}

export function recentReject(topic: string, rejection: Rejection, now = Date.now()): RecentReject {
  return { ts: now, topic: topic.slice(0, MAX_TEXT), reason: rejection.reason, detail: rejection.detail.slice(0, MAX_TEXT) };
}
