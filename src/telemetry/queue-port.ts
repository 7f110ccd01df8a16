/**
 * What the forwarder needs from the durable queue (`src/telemetry/queue/`, DiskQueue). Kept as an
 * interface so the forwarder can be unit-tested without a disk.
 */
export type Priority = 'alarm' | 'event' | 'telemetry';

export interface QueueRecord {
  seq: bigint | number;
  priority: Priority;
  key: string;
  payload: Buffer;
  enqueuedAt: number;
}

export interface QueueStats {
  /** Records not yet acknowledged, including those in flight. */
  depth: Record<Priority, number>;
  inFlight?: number;
  bytes: number;
  oldestAgeMs: number | null;
  segments: number;
  state: 'ok' | 'queue-full' | 'disk-error';
  lastError?: string;
  diskBytes: number;
  /** What the disk allows (DiskQueue): the limit after clamping to free space, and whether it survives a power cut. */
  capacity?: { limitBytes: number; maxBytes: number; limitedByDisk: boolean; freeBytes: number; durable: boolean; fileSystem: string };
  /** What opening the queue found (DiskQueue): records lost with damaged segment files. */
  recovery?: { lostRecords: number; lostRanges: Array<{ firstSeq: number; lastSeq: number; count: number; fromMs: number; toMs: number }> };
}

export interface TelemetryQueue {
  /** Resolves once the records are fsync'd; rejects with QueueFullError / DiskFullError. */
  append(records: Array<{ priority: Priority; key: string; payload: Buffer }>): Promise<unknown>;
  /** Oldest pending records, alarms first; they stay in flight until `ack` or `release`. */
  peek(maxRecords: number, maxBytes: number): QueueRecord[];
  /**
   * Optional zero-copy `peek`: the same records become in flight, each handed to `visit` with a payload
   * view valid only during the call. Returns how many were taken.
   */
  peekEach?(maxRecords: number, maxBytes: number, visit: (seq: number, priority: Priority, key: string, payload: Buffer) => void): number;
  ack(seqs: QueueRecord['seq'][]): Promise<void>;
  release(seqs: QueueRecord['seq'][]): void;
  stats(): QueueStats;
  close(): Promise<void>;
}
