/** The durable store-and-forward queue: see README.md for the format, guarantees and full policy. */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { Logger } from '../../lib/log.js';
import { ClassIndex, EntryState } from './class-index.js';
import { QueueError, QueueFullError, toQueueError } from './errors.js';
import { acquireDirLock, releaseDirLock } from './dir-lock.js';
import { GroupCommit } from './group-commit.js';
import { MAX_BODY_BYTES, MAX_KEY_BYTES, PRIORITIES, PRIORITY_CODE, encodeAck, encodeData, type Priority } from './record-codec.js';
import { readEnqueuedAt, readRecords, type Located } from './record-reader.js';
import { recoverSegments, type RecoveryReport } from './recovery.js';
import { SegmentStore } from './segment-store.js';
import type { Segment } from './segment-files.js';
import type { AppendRecord, DiskQueueOptions, QueueRecord, QueueState, QueueStats, WriteJob } from './types.js';

export type { Priority } from './record-codec.js';
export type { AppendRecord, DiskQueueOptions, QueueRecord, QueueState, QueueStats } from './types.js';

const DEFAULTS = { maxBytes: 2 * 1024 ** 3, maxAgeMs: 7 * 24 * 3600_000, fsyncIntervalMs: 20, expiryIntervalMs: 60_000 };

export class DiskQueue extends EventEmitter {
  private readonly commit: GroupCommit<WriteJob>;
  private readonly now: () => number;
  private readonly maxBytes: number;
  private readonly reserveBytes: number;
  private readonly maxAgeMs: number;
  private readonly log: Logger;
  private pendingDataBytes = 0;
  private unflushedAcks: Buffer[] = [];
  private queueFull = false;
  private diskError: string | null = null;
  private closed = false;
  private expiryTimer: NodeJS.Timeout | null = null;
  private readonly counters = { appended: 0, acked: 0, expired: 0, evicted: 0, corrupt: 0 };

  private constructor(
    private readonly options: DiskQueueOptions,
    private readonly store: SegmentStore,
    private readonly classes: ClassIndex[],
    private nextSeq: number,
    readonly recovery: RecoveryReport,
  ) {
    super();
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
    this.reserveBytes = options.reserveBytes ?? Math.floor(this.maxBytes * 0.05);
    this.maxAgeMs = options.maxAgeMs ?? DEFAULTS.maxAgeMs;
    this.commit = new GroupCommit((jobs) => this.flush(jobs), options.fsyncIntervalMs ?? DEFAULTS.fsyncIntervalMs);
  }

  static async open(options: DiskQueueOptions): Promise<DiskQueue> {
    const log = options.log;
    const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
    const segmentBytes = options.segmentBytes ?? Math.max(64 * 1024, Math.min(32 * 1024 ** 2, Math.floor(maxBytes / 8)));
    mkdirSync(options.dir, { recursive: true });
    acquireDirLock(options.dir);
    try {
      const recovered = recoverSegments(options.dir, log);
      const store = new SegmentStore(options.dir, segmentBytes, log, recovered.segments);
      const queue = new DiskQueue(options, store, recovered.classes, recovered.nextSeq, recovered.report);
      await store.removeFinishedFront();
      if (store.segments.length === 0) await store.addSegment(queue.nextSeq, queue.now());
      const report = recovered.report;
      const level = report.corruptRegions || report.truncatedBytes ? 'warn' : 'info';
      log[level]('queue recovered', { dir: options.dir, ...report, segments: store.segments.length });
      await queue.expireOld();
      const every = options.expiryIntervalMs ?? DEFAULTS.expiryIntervalMs;
      queue.expiryTimer = setInterval(() => void queue.expireOld().catch(() => undefined), every);
      queue.expiryTimer.unref();
      return queue;
    } catch (error) {
      releaseDirLock(options.dir);
      throw toQueueError(error, `opening queue in ${options.dir}`);
    }
  }

  /** Resolves with the assigned seqs once the records are on disk (fdatasync'd). */
  async append(records: ReadonlyArray<AppendRecord>): Promise<number[]> {
    if (this.closed) throw new QueueError('closed', 'queue is closed');
    if (records.length === 0) return [];
    const keys = records.map((record) => {
      const key = Buffer.from(record.key, 'utf8');
      if (key.length > MAX_KEY_BYTES) throw new QueueError('invalid-record', `key longer than ${MAX_KEY_BYTES} bytes: ${record.key.slice(0, 40)}...`);
      if (record.payload.length > MAX_BODY_BYTES) throw new QueueError('invalid-record', `payload of ${record.payload.length} bytes exceeds ${MAX_BODY_BYTES}`);
      if (PRIORITY_CODE[record.priority] === undefined) throw new QueueError('invalid-record', `unknown priority ${String(record.priority)}`);
      return key;
    });
    const bytes = records.reduce((sum, record, i) => sum + 24 + keys[i].length + record.payload.length, 0);
    const urgent = records.every((record) => record.priority !== 'telemetry');
    const limit = urgent ? this.maxBytes : this.maxBytes - this.reserveBytes;
    if (!this.fits(bytes, limit)) await this.makeRoom(bytes, limit, urgent);

    const enqueuedAt = this.now();
    const seqs: number[] = [];
    const data = records.map((record, i) => {
      const seq = this.nextSeq++;
      seqs.push(seq);
      return encodeData(seq, record.priority, keys[i], record.payload, enqueuedAt);
    });
    this.pendingDataBytes += bytes;
    const onDurable = (segment: Segment, offset: number): void => {
      let at = offset;
      data.forEach((encoded, i) => {
        const code = PRIORITY_CODE[records[i].priority];
        this.classes[code].push(seqs[i], at, encoded.length);
        segment.live[code]++;
        at += encoded.length;
      });
      this.counters.appended += records.length;
    };
    try {
      await this.commit.submit({ data, isAck: false, firstSeq: seqs[0], onDurable });
    } finally {
      this.pendingDataBytes -= bytes;
    }
    this.emit('appended', records.length);
    return seqs;
  }

  /** Next records to send: alarms, then events, then telemetry, each class in seq (so per-key) order. */
  peek(maxRecords: number, maxBytes: number): QueueRecord[] {
    const located: Array<Located & { pos: number }> = [];
    let bytes = 0;
    scan: for (let code = 0; code < PRIORITIES.length; code++) {
      const index = this.classes[code];
      let pos = index.scanFrom;
      for (; pos < index.tail && located.length < maxRecords; pos++) {
        if (index.stateAt(pos) !== EntryState.Pending) continue;
        const length = index.lengthAt(pos);
        if (located.length > 0 && bytes + length > maxBytes) {
          index.scanFrom = pos;
          break scan;
        }
        const seq = index.seqAt(pos);
        const segment = this.store.segmentFor(seq) as Segment;
        located.push({ priority: code, seq, segment, offset: index.offsetAt(pos), length, pos });
        bytes += length;
        index.setState(pos, EntryState.InFlight);
      }
      index.scanFrom = pos;
      if (located.length >= maxRecords) break;
    }
    const out: QueueRecord[] = [];
    const corrupt: number[] = [];
    readRecords(located, (at, record) => out.push({ seq: at.seq, priority: PRIORITIES[at.priority], ...record }), (at, reason) => {
      this.counters.corrupt++;
      this.log.error('queued record unreadable, dropped', { seq: at.seq, segment: at.segment.path, reason });
      corrupt.push(at.seq);
    });
    if (corrupt.length) void this.finish(corrupt, 'corrupt').catch(() => undefined);
    return out;
  }

  /** Removes delivered records; resolves once the acknowledgement is on disk. */
  async ack(seqs: ReadonlyArray<bigint | number>): Promise<void> {
    await this.finish(seqs, 'acked');
  }

  /** Puts in-flight records back so the next peek offers them again, in their original order. */
  release(seqs: ReadonlyArray<bigint | number>): void {
    for (const raw of seqs) {
      const seq = Number(raw);
      for (const index of this.classes) {
        const pos = index.find(seq);
        if (pos >= 0 && index.stateAt(pos) === EntryState.InFlight) index.setState(pos, EntryState.Pending);
      }
    }
  }

  /** Puts every in-flight record back (e.g. the uplink disconnected). */
  releaseAll(): void {
    for (const index of this.classes) {
      for (let pos = index.head; pos < index.tail; pos++) if (index.stateAt(pos) === EntryState.InFlight) index.setState(pos, EntryState.Pending);
    }
  }

  stats(): QueueStats {
    const depth = Object.fromEntries(PRIORITIES.map((name, code) => [name, this.classes[code].live])) as Record<Priority, number>;
    const oldest = this.oldestEnqueuedAt();
    return {
      depth,
      inFlight: this.classes.reduce((sum, index) => sum + index.inFlight, 0),
      bytes: this.classes.reduce((sum, index) => sum + index.liveBytes, 0),
      oldestAgeMs: oldest === null ? null : Math.max(0, this.now() - oldest),
      segments: this.store.segments.length,
      state: this.state,
      ...(this.diskError ? { lastError: this.diskError } : {}),
      diskBytes: this.store.diskBytes,
      counters: { ...this.counters, fsyncs: this.commit.flushes },
      recovery: this.recovery,
    };
  }

  get state(): QueueState {
    return this.diskError ? 'disk-error' : this.queueFull ? 'queue-full' : 'ok';
  }

  /** Drops records older than maxAgeMs (every class); returns how many. */
  async expireOld(): Promise<number> {
    const cutoff = this.now() - this.maxAgeMs;
    const expired: number[] = [];
    for (const index of this.classes) {
      for (let pos = index.nextLive(index.head); pos >= 0; pos = index.nextLive(pos + 1)) {
        const seq = index.seqAt(pos);
        const at = readEnqueuedAt(this.store.segmentFor(seq) as Segment, index.offsetAt(pos));
        if (at === null || at >= cutoff) break;
        expired.push(seq);
      }
    }
    if (expired.length === 0) return 0;
    this.log.warn('records expired by age', { count: expired.length, max_age_ms: this.maxAgeMs });
    this.emit('dropped', { reason: 'expired', count: expired.length });
    await this.finish(expired, 'expired');
    return expired.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    await this.commit.idle();
    await this.store.closeAll();
    releaseDirLock(this.options.dir);
  }

  private fits(bytes: number, limit: number): boolean {
    return this.store.diskBytes + this.pendingDataBytes + bytes <= limit;
  }

  /** Capacity policy (README "When the queue is full"): expire, then alarms/events may evict telemetry. */
  private async makeRoom(bytes: number, limit: number, urgent: boolean): Promise<void> {
    await this.expireOld();
    while (urgent && !this.fits(bytes, limit) && (await this.evictOldestTelemetrySegment())) { /* keep evicting */ }
    if (this.fits(bytes, limit)) {
      this.setQueueFull(false);
      return;
    }
    this.setQueueFull(true);
    const used = this.store.diskBytes + this.pendingDataBytes;
    throw new QueueFullError(`queue full: ${used} of ${limit} bytes used (${urgent ? 'alarm/event' : 'telemetry'} limit), ${bytes} more refused`);
  }

  /** Evicts the telemetry of the oldest segment when that frees the whole segment. */
  private async evictOldestTelemetrySegment(): Promise<boolean> {
    const [front, second] = this.store.segments;
    if (!second || front.live[0] + front.live[1] > 0) return false;
    const telemetry = this.classes[PRIORITY_CODE.telemetry];
    const victims: number[] = [];
    for (let pos = telemetry.head; pos < telemetry.tail && telemetry.seqAt(pos) < second.firstSeq; pos++) {
      if (telemetry.stateAt(pos) !== EntryState.Done) victims.push(telemetry.seqAt(pos));
    }
    this.log.warn('queue full: oldest telemetry evicted for an alarm/event', { count: victims.length, segment: front.path });
    this.emit('dropped', { reason: 'evicted', count: victims.length });
    await this.finish(victims, 'evicted');
    return true;
  }

  private setQueueFull(full: boolean): void {
    if (full === this.queueFull) return;
    this.queueFull = full;
    this.emit('state', this.state);
  }

  private setDiskError(message: string | null): void {
    if (message === this.diskError) return;
    this.diskError = message;
    this.emit('state', this.state);
  }

  private async finish(rawSeqs: ReadonlyArray<bigint | number>, reason: 'acked' | 'expired' | 'evicted' | 'corrupt'): Promise<void> {
    const positions: number[][] = PRIORITIES.map(() => []);
    for (const raw of rawSeqs) {
      const seq = Number(raw);
      for (let code = 0; code < this.classes.length; code++) {
        const index = this.classes[code];
        const pos = index.find(seq);
        if (pos < 0 || index.stateAt(pos) === EntryState.Done) continue;
        index.setState(pos, EntryState.Done);
        const segment = this.store.segmentFor(seq);
        if (segment) segment.live[code]--;
        positions[code].push(pos);
        if (reason !== 'corrupt') this.counters[reason]++;
      }
    }
    const records: Buffer[] = [];
    positions.forEach((list, code) => {
      if (list.length === 0) return;
      records.push(encodeAck(code, this.classes[code].rangesOf(list), this.nextSeq, this.now()));
      this.classes[code].trimHead();
    });
    if (records.length === 0) return;
    void this.store.removeFinishedFront().then(() => {
      if (this.queueFull && this.fits(0, this.maxBytes - this.reserveBytes)) this.setQueueFull(false);
    });
    await this.commit.submit({ data: records, isAck: true });
  }

  private async flush(jobs: WriteJob[]): Promise<void> {
    const retried = this.unflushedAcks;
    const parts = [...retried, ...jobs.flatMap((job) => job.data)];
    const batch = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    try {
      // A segment created for this batch must start at its smallest seq: seqs are assigned before the write.
      const firstSeq = jobs.reduce((min, job) => Math.min(min, job.firstSeq ?? Infinity), this.nextSeq);
      const { segment, offset } = await this.store.write(batch, firstSeq, this.now());
      this.unflushedAcks = this.unflushedAcks.slice(retried.length);
      let at = offset + retried.reduce((sum, part) => sum + part.length, 0);
      for (const job of jobs) {
        job.onDurable?.(segment, at);
        at += job.data.reduce((sum, part) => sum + part.length, 0);
      }
      this.setDiskError(null);
    } catch (error) {
      // Acks already count in RAM (the upstream has the data); keep their records for the next write.
      this.unflushedAcks.push(...jobs.filter((job) => job.isAck).flatMap((job) => job.data));
      const failure = toQueueError(error, 'queue write');
      this.log.error('queue write failed', { error: failure.message, code: failure.code });
      this.setDiskError(failure.message);
      throw failure;
    }
  }

  private oldestEnqueuedAt(): number | null {
    let oldest: number | null = null;
    for (const index of this.classes) {
      const pos = index.nextLive(index.head);
      if (pos < 0) continue;
      const seq = index.seqAt(pos);
      const at = readEnqueuedAt(this.store.segmentFor(seq) as Segment, index.offsetAt(pos));
      if (at !== null && (oldest === null || at < oldest)) oldest = at;
    }
    return oldest;
  }
}
