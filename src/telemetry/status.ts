import type { MetricsRegistry } from '../lib/metrics.js';
import type { Rejection } from './ingest/normalize.js';
import { RecentRing, recentAnomaly, recentReject, type RecentAnomaly, type RecentReject } from './recent.js';
import type { Anomaly } from './rules/types.js';

/** Sizes of the `recent_anomalies` / `recent_rejects` lists in ubus `status`. */
export const RECENT_ANOMALIES = 20;
export const RECENT_REJECTS = 10;

/** The forwarder's counters and rates, kept in the daemon's metrics registry. */
export class TelemetryMetrics {
  readonly readingsIn;
  readonly readingsOut;
  readonly bytesOut;
  readonly rejects;
  readonly duplicates;
  readonly anomalies;
  private readonly rateIn;
  private readonly rateOut;
  private readonly recentAnomalies = new RecentRing<RecentAnomaly>(RECENT_ANOMALIES);
  private readonly recentRejects = new RecentRing<RecentReject>(RECENT_REJECTS);

  constructor(metrics: MetricsRegistry) {
    this.readingsIn = metrics.counter('readings_in');
    this.readingsOut = metrics.counter('readings_out');
    this.bytesOut = metrics.counter('bytes_out');
    this.rejects = metrics.labelled('rejects');
    this.duplicates = metrics.counter('duplicates');
    this.anomalies = metrics.counter('anomalies');
    this.rateIn = metrics.rate('rate_in', 10);
    this.rateOut = metrics.rate('rate_out', 10);
  }

  accepted(count: number): void {
    this.readingsIn.inc(count);
    this.rateIn.mark(count);
  }

  sent(readings: number, bytes: number): void {
    this.readingsOut.inc(readings);
    this.bytesOut.inc(bytes);
    this.rateOut.mark(readings);
  }

  rates(): { rate_in: number; rate_out: number } {
    return { rate_in: Math.round(this.rateIn.rate() * 10) / 10, rate_out: Math.round(this.rateOut.rate() * 10) / 10 };
  }

  rejectsByReason(): Record<string, number> { return this.rejects.toJSON(); }

  rejectsTotal(): number { return Object.values(this.rejects.toJSON()).reduce((sum, count) => sum + count, 0); }

  anomaly(anomaly: Anomaly): void {
    this.anomalies.inc();
    this.recentAnomalies.push(recentAnomaly(anomaly));
  }

  rejected(topic: string, rejection: Rejection): void {
    this.rejects.inc(rejection.reason);
    this.recentRejects.push(recentReject(topic, rejection));
  }

  /** Newest first; meter ids and topics are device-provided text. */
  recent(): { recent_anomalies: RecentAnomaly[]; recent_rejects: RecentReject[] } {
    return { recent_anomalies: this.recentAnomalies.newestFirst(), recent_rejects: this.recentRejects.newestFirst() };
  }

  totals(): Record<string, number | Record<string, number>> {
    return {
      readings_in: this.readingsIn.get(), readings_out: this.readingsOut.get(), bytes_out: this.bytesOut.get(),
      rejects: this.rejectsByReason(), duplicates: this.duplicates.get(), anomalies: this.anomalies.get(), ...this.rates(),
    };
  }

  /** At most 20 anomaly events per second on the ubus bus; the counter keeps the full count. */
  private readonly anomalyEvents = new PerSecondLimit(20);
  /** Dead letters published (a flood of bad messages must not become a flood on the local broker). */
  readonly deadLetters = new PerSecondLimit(50);

  allowAnomalyEvent(): boolean {
    return this.anomalyEvents.allow();
  }
}

/** At most `perSecond` allowed in each wall-clock second; `dropped` counts the rest. */
export class PerSecondLimit {
  private second = 0;
  private used = 0;
  dropped = 0;

  constructor(private readonly perSecond: number) {}

  allow(): boolean {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.second) { this.second = second; this.used = 0; }
    if (++this.used <= this.perSecond) return true;
    this.dropped++;
    return false;
  }
}
