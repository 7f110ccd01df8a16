import type { Logger } from '../../lib/log.js';
import type { CapacityReport } from './capacity.js';
import type { RecoveryReport } from './recovery.js';
import type { Priority } from './record-codec.js';
import type { Segment } from './segment-files.js';

export interface QueueRecord { seq: bigint | number; priority: Priority; key: string; payload: Buffer; enqueuedAt: number }
/** A record handed out by `peekEach`; `payload` is a view valid only during the call. */
export type PeekedRecordVisitor = (seq: number, priority: Priority, key: string, payload: Buffer) => void;
export interface AppendRecord { priority: Priority; key: string; payload: Uint8Array }

export interface DiskQueueOptions {
  dir: string;
  /** Disk budget for all segment files; default 2 GB. */
  maxBytes?: number;
  /** Records older than this are dropped; default 7 days. */
  maxAgeMs?: number;
  /** Group-commit window: at most one write+fdatasync starts per interval; default 20 ms. */
  fsyncIntervalMs?: number;
  /** Segment file size before rolling over; default min(32 MB, maxBytes / 8). */
  segmentBytes?: number;
  /** Part of the limit only alarms and events may use; default 5 % of the limit. */
  reserveBytes?: number;
  /**
   * Free space always left on the file system (the smaller of this and 5 % of its size); the queue's limit
   * is min(maxBytes, its own files + free space - this). Default 8 MB.
   */
  minFreeBytes?: number;
  /** A mount point that must be mounted (and hold `dir`) before the queue opens; open fails with `not-mounted` otherwise. */
  mountPoint?: string;
  /**
   * A non-active segment whose live records fill at most this share of it is rewritten with only those
   * records (compaction); default 0.25, 0 turns compaction off.
   */
  compactBelowLiveRatio?: number;
  /** How often old records are expired in the background; default 60 s. */
  expiryIntervalMs?: number;
  log: Logger;
  now?: () => number;
}

export type QueueState = 'ok' | 'queue-full' | 'disk-error';

export interface QueueStats {
  depth: Record<Priority, number>;
  inFlight: number;
  /** Bytes of the records still queued, as stored (header + key + payload). */
  bytes: number;
  oldestAgeMs: number | null;
  segments: number;
  state: QueueState;
  lastError?: string;
  diskBytes: number;
  capacity: CapacityReport;
  counters: { appended: number; acked: number; expired: number; evicted: number; corrupt: number; compactions: number; fsyncs: number };
  recovery: RecoveryReport;
}

export interface WriteJob {
  data: Buffer[];
  isAck: boolean;
  /** Smallest data seq in this job (data jobs only). */
  firstSeq?: number;
  onDurable?: (segment: Segment, offset: number) => void;
}
