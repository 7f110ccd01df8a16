/** The durable store-and-forward queue: see README.md for the format, guarantees and full policy. */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { Logger } from '../../lib/log.js';
import { QueueCapacity } from './capacity.js';
import { Compactor } from './compactor.js';
import { QueueError, QueueFullError, toQueueError } from './errors.js';
import { acquireDirLock, type DirLock } from './dir-lock.js';
import { checkMounted } from './file-system.js';
import { GroupCommit } from './group-commit.js';
import type { QueueIndex, SeqRange } from './queue-index.js';
import { MAX_BODY_BYTES, MAX_KEY_BYTES, PRIORITIES, PRIORITY_CODE, encodeAck, encodeData, type Priority } from './record-codec.js';
import type { LostRange } from './loss.js';
import { recoverSegments, type RecoveryReport } from './recovery.js';
import { SegmentStore } from './segment-store.js';
import type { Segment } from './segment-files.js';
import type { AppendRecord, DiskQueueOptions, PeekedRecordVisitor, QueueRecord, QueueState, QueueStats, WriteJob } from './types.js';

export type { Priority } from './record-codec.js';
export type { AppendRecord, DiskQueueOptions, PeekedRecordVisitor, QueueRecord, QueueState, QueueStats } from './types.js';

const DEFAULTS = { maxBytes: 2 * 1024 ** 3, minFreeBytes: 8 * 1024 ** 2, maxAgeMs: 7 * 24 * 3600_000, fsyncIntervalMs: 20, expiryIntervalMs: 60_000, compactBelowLiveRatio: 0.25 };

/** Segment size: a share of what the queue may really use, so finished segments can always be deleted. */
function segmentSizeFor(limitBytes: number): number {
  return Math.max(64 * 1024, Math.min(32 * 1024 ** 2, Math.floor(limitBytes / 8)));
}

export class DiskQueue extends EventEmitter {
  private readonly commit: GroupCommit<WriteJob>;
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private readonly log: Logger;
  private pendingDataBytes = 0;
  private unflushedAcks: Buffer[] = [];
  private queueFull = false;
  private diskError: string | null = null;
  private closed = false;
  private expiryTimer: NodeJS.Timeout | null = null;
  private lock: DirLock | undefined;
  private readonly counters = { appended: 0, acked: 0, expired: 0, evicted: 0, corrupt: 0, compactions: 0 };
  private readonly compactor: Compactor;

  private constructor(
    private readonly options: DiskQueueOptions,
    private readonly store: SegmentStore,
    private readonly index: QueueIndex,
    private nextSeq: number,
    readonly recovery: RecoveryReport,
    private readonly capacity: QueueCapacity,
    segmentBytes: number,
  ) {
    super();
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULTS.maxAgeMs;
    this.commit = new GroupCommit((jobs) => this.flush(jobs), options.fsyncIntervalMs ?? DEFAULTS.fsyncIntervalMs);
    this.compactor = new Compactor({
      dir: options.dir, store, index, log: this.log, events: this,
      belowLiveRatio: options.compactBelowLiveRatio ?? DEFAULTS.compactBelowLiveRatio,
      minReclaimBytes: Math.floor(segmentBytes / 4),
      onCompacted: () => this.counters.compactions++,
    });
  }

  static async open(options: DiskQueueOptions): Promise<DiskQueue> {
    const log = options.log;
    if (options.mountPoint) checkMounted(options.mountPoint, options.dir);
    mkdirSync(options.dir, { recursive: true });
    const lock = await acquireDirLock(options.dir, { onLost: () => log.error('queue directory lock lost (its flock holder was killed): restart the forwarder', { dir: options.dir }) });
    try {
      const recovered = recoverSegments(options.dir, log);
      const capacity = new QueueCapacity({
        dir: options.dir, maxBytes: options.maxBytes ?? DEFAULTS.maxBytes, minFreeBytes: options.minFreeBytes ?? DEFAULTS.minFreeBytes, reserveBytes: options.reserveBytes,
      }, recovered.segments.reduce((sum, segment) => sum + segment.size, 0));
      const segmentBytes = options.segmentBytes ?? segmentSizeFor(capacity.limitBytes);
      const store = new SegmentStore(options.dir, segmentBytes, log, recovered.segments);
      const queue = new DiskQueue(options, store, recovered.index, recovered.nextSeq, recovered.report, capacity, segmentBytes);
      queue.lock = lock;
      queue.reportCapacity();
      await store.removeFinishedFront();
      queue.compactor.check();
      if (store.segments.length === 0) await store.addSegment(queue.nextSeq, queue.now());
      const { lostRanges, ...report } = recovered.report;
      const level = report.corruptRegions || report.truncatedBytes ? 'warn' : 'info';
      log[level]('queue recovered', { dir: options.dir, ...report, segments: store.segments.length });
      if (report.lostRecords) log.error('queued records lost in damaged segments', { count: report.lostRecords, ranges: describeLoss(lostRanges) });
      await queue.expireOld();
      const every = options.expiryIntervalMs ?? DEFAULTS.expiryIntervalMs;
      queue.expiryTimer = setInterval(() => { queue.capacity.refresh(store.diskBytes); void queue.expireOld().catch(() => undefined); }, every);
      queue.expiryTimer.unref();
      return queue;
    } catch (error) {
      await lock.release();
      throw toQueueError(error, `opening queue in ${options.dir}`);
    }
  }

  /** Resolves with the assigned seqs once the records are on disk (fdatasync'd). */
  async append(records: ReadonlyArray<AppendRecord>): Promise<number[]> {
    if (this.closed) throw new QueueError('closed', 'queue is closed');
    if (records.length === 0) return [];
    const keys = records.map((record, recordIndex) => {
      const key = Buffer.from(record.key, 'utf8');
      const refuse = (why: string) => new QueueError('invalid-record', why, { recordIndex });
      if (key.length > MAX_KEY_BYTES) throw refuse(`key longer than ${MAX_KEY_BYTES} bytes: ${record.key.slice(0, 40)}...`);
      if (record.payload.length > MAX_BODY_BYTES) throw refuse(`payload of ${record.payload.length} bytes exceeds ${MAX_BODY_BYTES}`);
      if (PRIORITY_CODE[record.priority] === undefined) throw refuse(`unknown priority ${String(record.priority)}`);
      return key;
    });
    const bytes = records.reduce((sum, record, i) => sum + 24 + keys[i].length + record.payload.length, 0);
    const urgent = records.every((record) => record.priority !== 'telemetry');
    if (!this.fits(bytes, this.limit(urgent))) await this.makeRoom(bytes, urgent);

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
        this.index.classes[PRIORITY_CODE[records[i].priority]].add(segment, seqs[i], at, encoded.length);
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
    const unreadable: SeqRange[] = [];
    const out = this.index.peek(maxRecords, maxBytes, unreadable);
    this.dropUnreadable(unreadable);
    return out;
  }

  /**
   * `peek` without copying: the same records in the same order become in flight, each handed to `visit`
   * with a payload view into the read buffer that is valid only during the call (copy what you keep).
   * Returns how many records were taken. Reading a backlog this way allocates no buffer per record.
   */
  peekEach(maxRecords: number, maxBytes: number, visit: PeekedRecordVisitor): number {
    const unreadable: SeqRange[] = [];
    const count = this.index.peekEach(maxRecords, maxBytes, unreadable, (seq, code, buf, keyStart, payloadStart, payloadEnd) => {
      visit(seq, PRIORITIES[code], buf.toString('utf8', keyStart, payloadStart), buf.subarray(payloadStart, payloadEnd));
    });
    this.dropUnreadable(unreadable);
    return count;
  }

  private dropUnreadable(unreadable: SeqRange[]): void {
    if (!unreadable.length) return;
    const count = unreadable.reduce((sum, [a, b]) => sum + b - a + 1, 0);
    this.counters.corrupt += count;
    this.log.error('queued records unreadable, dropped', { count, seqs: unreadable.slice(0, 10) });
    void this.finish(unreadable, 'corrupt').catch(() => undefined);
  }

  /** Removes delivered records; resolves once the acknowledgement is on disk. */
  async ack(seqs: ReadonlyArray<bigint | number>): Promise<void> {
    await this.finish(toRanges(seqs), 'acked');
  }

  /** Puts in-flight records back so the next peek offers them again, in their original order. */
  release(seqs: ReadonlyArray<bigint | number>): void {
    this.index.release(toRanges(seqs));
  }

  /** Puts every in-flight record back (e.g. the uplink disconnected). */
  releaseAll(): void {
    this.index.releaseAll();
  }

  stats(): QueueStats {
    const classes = this.index.classes;
    const depth = Object.fromEntries(PRIORITIES.map((name, code) => [name, classes[code].live])) as Record<Priority, number>;
    const oldest = this.index.oldestEnqueuedAt();
    return {
      depth,
      inFlight: classes.reduce((sum, index) => sum + index.inFlight, 0),
      bytes: classes.reduce((sum, index) => sum + index.liveBytes, 0),
      oldestAgeMs: oldest === null ? null : Math.max(0, this.now() - oldest),
      segments: this.store.segments.length,
      state: this.state,
      ...(this.diskError ? { lastError: this.diskError } : {}),
      diskBytes: this.store.diskBytes,
      capacity: this.capacity.report(),
      counters: { ...this.counters, fsyncs: this.commit.flushes },
      recovery: this.recovery,
    };
  }

  get state(): QueueState {
    return this.diskError ? 'disk-error' : this.queueFull ? 'queue-full' : 'ok';
  }

  /** Drops records older than maxAgeMs (every class); returns how many. */
  async expireOld(): Promise<number> {
    const expired = this.index.enqueuedBefore(this.now() - this.maxAgeMs);
    const count = expired.reduce((sum, [a, b]) => sum + b - a + 1, 0);
    if (count === 0) return 0;
    this.log.warn('records expired by age', { count, max_age_ms: this.maxAgeMs });
    this.emit('dropped', { reason: 'expired', count });
    await this.finish(expired, 'expired');
    return count;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    await this.commit.idle();
    this.compactor.stop();
    await this.store.closeAll();
    await this.lock?.release();
  }

  /** Where the queue's file system lives, and what it may use there: logged at open, loudly when in RAM. */
  private reportCapacity(): void {
    const report = this.capacity.report();
    const fields = { dir: this.options.dir, limit_bytes: report.limitBytes, max_bytes: report.maxBytes, free_bytes: report.freeBytes, file_system: report.fileSystem };
    if (!report.durable) this.log.error('queue is on a RAM file system: a power cut or reboot loses the backlog (set queue_dir to flash or an SSD)', fields);
    if (report.limitedByDisk) this.log.warn('queue limited by free disk space, below queue_max_mb', fields);
  }

  /** Bytes the queue may occupy: all of it for alarms and events, less the reserve for telemetry. */
  private limit(urgent: boolean): number {
    return urgent ? this.capacity.limitBytes : this.capacity.limitBytes - this.capacity.reserveBytes;
  }

  /** A finished only segment counts as free: the next write restarts it (SegmentStore.write). */
  private fits(bytes: number, limit: number): boolean {
    return this.store.diskBytes - this.store.reclaimableBytes + this.pendingDataBytes + bytes <= limit;
  }

  /** Capacity policy (README "When the queue is full"): expire, then alarms/events may evict telemetry. */
  private async makeRoom(bytes: number, urgent: boolean): Promise<void> {
    this.capacity.refresh(this.store.diskBytes);
    const limit = this.limit(urgent);
    if (this.fits(bytes, limit)) { this.setQueueFull(false); return; }
    await this.expireOld();
    while (urgent && !this.fits(bytes, limit) && (await this.evictOldestTelemetrySegment())) { /* keep evicting */ }
    if (this.fits(bytes, limit)) {
      this.setQueueFull(false);
      return;
    }
    this.setQueueFull(true);
    const used = this.store.diskBytes + this.pendingDataBytes;
    const disk = this.capacity.report().limitedByDisk ? ', limited by free disk space' : '';
    throw new QueueFullError(`queue full: ${used} of ${limit} bytes used (${urgent ? 'alarm/event' : 'telemetry'} limit${disk}), ${bytes} more refused`);
  }

  /** Evicts the telemetry of the oldest segment when that frees the whole segment. */
  private async evictOldestTelemetrySegment(): Promise<boolean> {
    const [front, second] = this.store.segments;
    if (!second || front.live[0] + front.live[1] > 0) return false;
    const victims = this.index.rangesIn(front, PRIORITY_CODE.telemetry);
    const count = victims.reduce((sum, [a, b]) => sum + b - a + 1, 0);
    this.log.warn('queue full: oldest telemetry evicted for an alarm/event', { count, segment: front.path });
    this.emit('dropped', { reason: 'evicted', count });
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

  private async finish(ranges: ReadonlyArray<SeqRange>, reason: 'acked' | 'expired' | 'evicted' | 'corrupt'): Promise<void> {
    const records: Buffer[] = [];
    this.index.remove(ranges).forEach((removed, code) => {
      if (removed.length === 0) return;
      if (reason !== 'corrupt') this.counters[reason] += removed.reduce((sum, [a, b]) => sum + b - a + 1, 0);
      records.push(encodeAck(code, removed, this.nextSeq, this.now()));
    });
    if (records.length === 0) return;
    void this.store.removeFinishedFront().then(() => {
      if (this.queueFull && this.fits(0, this.limit(false))) this.setQueueFull(false);
    });
    this.compactor.check();
    await this.commit.submit({ data: records, isAck: true });
  }

  private async flush(jobs: WriteJob[]): Promise<void> {
    const retried = this.unflushedAcks;
    const parts = [...retried, ...jobs.flatMap((job) => job.data)];
    const batch = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    try {
      // A segment created for this batch must start at its smallest seq: seqs are assigned before the write.
      const firstSeq = jobs.reduce((min, job) => Math.min(min, job.firstSeq ?? Infinity), this.nextSeq);
      const overLimit = this.store.diskBytes + batch.length > this.capacity.limitBytes;
      const { segment, offset, restarted } = await this.store.write(batch, firstSeq, this.now(), overLimit);
      if (restarted) this.index.reader.invalidate();
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
      if (failure.code === 'disk-full') this.capacity.refresh(this.store.diskBytes);
      this.log.error('queue write failed', { error: failure.message, code: failure.code });
      this.setDiskError(failure.message);
      throw failure;
    }
  }
}

function describeLoss(ranges: ReadonlyArray<LostRange>): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  return ranges.map((range) => `seq ${range.firstSeq}-${range.lastSeq}: ${range.count} enqueued ${iso(range.fromMs)}..${iso(range.toMs)}`).join('; ');
}

/** Sorted inclusive ranges of consecutive seqs. */
function toRanges(raw: ReadonlyArray<bigint | number>): SeqRange[] {
  const seqs = raw.map(Number);
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] < seqs[i - 1]) {
      seqs.sort((a, b) => a - b);
      break;
    }
  }
  const ranges: SeqRange[] = [];
  for (const seq of seqs) {
    const last = ranges[ranges.length - 1];
    if (last && seq <= last[1] + 1) last[1] = Math.max(last[1], seq);
    else ranges.push([seq, seq]);
  }
  return ranges;
}
