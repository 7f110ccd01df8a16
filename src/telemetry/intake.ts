import type { Logger } from '../lib/log.js';
import { RateLimitedLog } from '../lib/log.js';
import type { Ack } from './local/client.js';
import { identities, type IngestPipeline } from './ingest/pipeline.js';
import type { Reading, Rejection } from './ingest/normalize.js';
import type { Priority, TelemetryQueue } from './queue-port.js';
import { alarmValues, type RuleEngine } from './rules/engine.js';
import type { Anomaly } from './rules/types.js';
import type { TopicVars } from './ingest/topic.js';
import { permanentRefusal } from './queue/errors.js';

export interface IntakeOptions {
  pipeline: IngestPipeline;
  rules: RuleEngine;
  queue: TelemetryQueue;
  log: Logger;
  /** Largest encoded entry that still fits one upstream batch. */
  maxEntryBytes: number;
  retryMs?: number;
  deadLetter(topic: string, payload: Buffer, rejection: Rejection): void;
  onReject(topic: string, rejection: Rejection): void;
  onDuplicate(count: number): void;
  onAnomaly(anomaly: Anomaly): void;
  onAccepted(readings: number): void;
  onMeter(meter: string, vars: TopicVars): void;
  onBlocked(error: string | undefined): void;
  /** true: too many unacknowledged messages held, stop reading; false: below the low mark again. */
  onPressure?(high: boolean): void;
  /** Messages held before `onPressure(true)`; default 2000 (resume below a quarter of it). */
  maxPendingMessages?: number;
}

interface Pending {
  topic: string;
  records: Array<{ priority: Priority; key: string; payload: Buffer }>;
  readings: Reading[];
  ack: Ack;
}

/**
 * Local message -> readings -> queue, with group commit: every message that arrives while one
 * append is being fsync'd joins the next append. PUBACKs go out in arrival order and only after
 * the append that holds the message's readings resolved, so the local hop is lossless too. When
 * the queue refuses for now (full, disk full) the same group is retried and no further PUBACKs are
 * sent: the broker stops delivering (backpressure) and keeps the rest in its persistent session.
 * When it refuses a record for good (`invalid-record`), that message is rejected (dead-lettered and
 * acknowledged) and the rest of the group is appended at once.
 */
export class Intake {
  private waiting: Pending[] = [];
  private committing = false;
  private committingCount = 0;
  private pressured = false;
  private readonly inFlight = new Set<string>();
  private readonly rateLog: RateLimitedLog;
  blockedReason: string | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: IntakeOptions) {
    this.rateLog = new RateLimitedLog(options.log, 10_000);
  }

  handle(topic: string, payload: Buffer, ack: Ack): void {
    const { pipeline, rules } = this.options;
    let result;
    try {
      result = pipeline.process(topic, payload, this.inFlight);
    } catch (error) {
      result = { readings: [], duplicates: 0, rejections: [{ reason: 'internal' as const, detail: `unexpected: ${(error as Error).message}` }] };
    }
    for (const rejection of result.rejections) this.reject(topic, payload, rejection);
    if (result.duplicates) this.options.onDuplicate(result.duplicates);
    if (result.vars && result.readings.length) this.options.onMeter(result.vars.meter, result.vars);
    const records: Pending['records'] = [];
    const kept: Reading[] = [];
    for (const reading of result.readings) {
      const anomalies = rules.evaluate(reading);
      const entry = Buffer.from(JSON.stringify({ ts: reading.ts, values: reading.values }));
      if (entry.length > this.options.maxEntryBytes) {
        for (const id of identities(reading)) this.inFlight.delete(id);
        this.reject(topic, payload, { reason: 'too-large', detail: `reading of ${entry.length} bytes does not fit one upstream batch` });
        continue;
      }
      for (const anomaly of anomalies) {
        this.options.onAnomaly(anomaly);
        records.push({ priority: 'alarm', key: reading.meter, payload: Buffer.from(JSON.stringify({ ts: reading.ts, values: alarmValues(anomaly) })) });
      }
      records.push({ priority: 'telemetry', key: reading.meter, payload: entry });
      kept.push(reading);
    }
    this.waiting.push({ topic, records, readings: kept, ack });
    if (!this.pressured && this.waitingMessages >= (this.options.maxPendingMessages ?? 2000)) {
      this.pressured = true;
      this.options.onPressure?.(true);
    }
    this.commit();
  }

  /** A message rejected before it was read whole (oversized): dead-lettered, acknowledged in its turn. */
  refuse(topic: string, head: Buffer, rejection: Rejection, ack: Ack): void {
    this.reject(topic, head, rejection);
    this.waiting.push({ topic, records: [], readings: [], ack });
    this.commit();
  }

  /** Unacknowledged messages stay with the broker's session and come back after a restart. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }

  /** Messages received but not yet acknowledged (waiting for, or inside, the current append). */
  get waitingMessages(): number { return this.waiting.length + this.committingCount; }

  private reject(topic: string, payload: Buffer, rejection: Rejection): void {
    this.options.onReject(topic, rejection);
    this.rateLog.warn(`reject:${rejection.reason}`, 'reading rejected', { reason: rejection.reason, detail: rejection.detail, topic, index: rejection.index });
    this.options.deadLetter(topic, payload, rejection);
  }

  /** Rejects the message whose record the queue refused for good (every message with records, without an index). */
  private dropRefused(group: Pending[], refusal: { index: number | undefined; message: string }): void {
    let first = 0;
    for (const pending of group) {
      const refused = pending.records[refusal.index === undefined ? 0 : refusal.index - first];
      first += pending.records.length;
      if (!refused) continue;
      for (const reading of pending.readings) for (const id of identities(reading)) this.inFlight.delete(id);
      this.reject(pending.topic, refused.payload, { reason: 'queue-refused', detail: `queue refused the reading: ${refusal.message}` });
      pending.records = [];
      pending.readings = [];
    }
  }

  private async holdAndRetry(error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    if (this.blockedReason !== message) {
      this.blockedReason = message;
      this.options.log.error('queue refused readings; holding local acknowledgements', { error: message });
      this.options.onBlocked(message);
    }
    await new Promise<void>((resolve) => { this.retryTimer = setTimeout(resolve, this.options.retryMs ?? 1000); });
  }

  private commit(): void {
    if (this.committing || this.closed || !this.waiting.length) return;
    this.committing = true;
    const group = this.waiting;
    this.waiting = [];
    this.committingCount = group.length;
    void this.appendWithRetry(group);
  }

  private async appendWithRetry(group: Pending[]): Promise<void> {
    while (!this.closed) {
      const records = group.flatMap((p) => p.records);
      try {
        if (records.length) await this.options.queue.append(records);
        break;
      } catch (error) {
        const refusal = permanentRefusal(error);
        if (refusal) this.dropRefused(group, refusal);
        else await this.holdAndRetry(error);
      }
    }
    if (this.closed) return;
    if (this.blockedReason !== undefined) {
      this.options.log.notice('queue accepts readings again');
      this.blockedReason = undefined;
      this.options.onBlocked(undefined);
    }
    const readings = group.flatMap((p) => p.readings);
    this.options.pipeline.commit(readings);
    for (const reading of readings) for (const id of identities(reading)) this.inFlight.delete(id);
    for (const pending of group) pending.ack();
    this.options.onAccepted(readings.length);
    this.committing = false;
    this.committingCount = 0;
    if (this.pressured && this.waitingMessages < (this.options.maxPendingMessages ?? 2000) / 4) {
      this.pressured = false;
      this.options.onPressure?.(false);
    }
    this.commit();
  }
}
