/**
 * Decides when a segment is worth compacting and runs compactions one at a time, serialised with
 * segment removal. A segment qualifies when it is not the active one, its live records take at most
 * `belowLiveRatio` of it and at least `minReclaimBytes` would be freed. The front segment with nothing
 * live is left to ordinary removal.
 */
import { closeSync } from 'node:fs';
import type { EventEmitter } from 'node:events';
import type { Logger } from '../../lib/log.js';
import { compactSegment } from './compaction.js';
import type { QueueIndex } from './queue-index.js';
import { liveRecords, type Segment } from './segment-files.js';
import type { SegmentStore } from './segment-store.js';

export interface CompactorOptions {
  dir: string;
  store: SegmentStore;
  index: QueueIndex;
  log: Logger;
  /** Emits 'compacting' {segment} before and 'compacted' {segment, before, after, records} after. */
  events: EventEmitter;
  belowLiveRatio: number;
  minReclaimBytes: number;
  onCompacted: () => void;
}

export class Compactor {
  private stopped = false;

  constructor(private readonly options: CompactorOptions) {}

  stop(): void {
    this.stopped = true;
  }

  /** Queues a compaction for every segment that qualifies now. */
  check(): void {
    if (this.stopped || this.options.belowLiveRatio <= 0) return;
    const segments = this.options.store.segments;
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i];
      if (segment.compacting || (i === 0 && liveRecords(segment) === 0)) continue;
      if (segment.size - segment.liveBytes < this.options.minReclaimBytes) continue;
      if (segment.liveBytes > segment.size * this.options.belowLiveRatio) continue;
      segment.compacting = true;
      void this.options.store.exclusive(() => this.compact(segment)).finally(() => {
        segment.compacting = false;
      });
    }
  }

  private async compact(segment: Segment): Promise<void> {
    const { dir, store, index, log, events } = this.options;
    // Removed meanwhile, or emptied at the front (ordinary removal is cheaper).
    if (this.stopped || !store.segments.includes(segment) || segment === store.active) return;
    if (segment === store.segments[0] && liveRecords(segment) === 0) return;
    const before = segment.size;
    events.emit('compacting', { segment: segment.path });
    try {
      const result = await compactSegment(dir, segment, index.rangesIn(segment), store.segments[0].firstSeq);
      const oldFd = segment.fd;
      segment.fd = result.fd;
      segment.size = result.size;
      store.diskBytes -= before - result.size;
      index.relocate(segment, result.offsetOf);
      closeSync(oldFd);
      this.options.onCompacted();
      log.info('segment compacted', { segment: segment.path, before, after: result.size, records: result.dataRecords });
      events.emit('compacted', { segment: segment.path, before, after: result.size, records: result.dataRecords });
    } catch (error) {
      log.warn('segment compaction failed, segment kept as it was', { segment: segment.path, error: String(error) });
    }
  }
}
