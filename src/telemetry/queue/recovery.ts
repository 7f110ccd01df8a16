/** Rebuilds the in-RAM index from the segment files at open and repairs torn tails. */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import type { Logger } from '../../lib/log.js';
import { QueueIndex, type SeqRange } from './queue-index.js';
import { RecordKind, decodeAckRanges, recordBytes } from './record-codec.js';
import { fsyncDirSync, listSegmentNumbers, newSegment, removeLeftoverCompactions, segmentPath, type Segment } from './segment-files.js';
import { FileWindow, scanSegment } from './segment-scan.js';
import { LossTracker, type LostRange } from './loss.js';

export interface RecoveryReport {
  segments: number;
  /** Valid records read (data, ack and segment-start). */
  records: number;
  /** Data records still waiting for delivery. */
  live: number;
  /** Data records found already acknowledged or dropped. */
  finished: number;
  /** Damaged stretches skipped in the middle of a segment (records after them were kept). */
  corruptRegions: number;
  skippedBytes: number;
  /** Bytes of torn or corrupt tails cut off. */
  truncatedBytes: number;
  /**
   * Records a damaged stretch or a cut tail of an older segment took with them, not acknowledged before
   * (seq gaps around the damage less the acks found later); a torn tail of the newest segment is not
   * counted: those appends never completed, so the broker still has them.
   */
  lostRecords: number;
  /** Up to 20 of those gaps, with the times of the good records around each. */
  lostRanges: LostRange[];
  durationMs: number;
}

export interface RecoveredState {
  segments: Segment[];
  index: QueueIndex;
  nextSeq: number;
  report: RecoveryReport;
}

export function recoverSegments(dir: string, log: Logger): RecoveredState {
  const started = Date.now();
  const index = new QueueIndex();
  const segments: Segment[] = [];
  const report: RecoveryReport = { segments: 0, records: 0, live: 0, finished: 0, corruptRegions: 0, skippedBytes: 0, truncatedBytes: 0, lostRecords: 0, lostRanges: [], durationMs: 0 };
  let nextSeq = 1;
  let lastDataSeq = 0;
  let lastDataMs = 0;
  const loss = new LossTracker();
  /** The last good record before damage not yet followed by a good record. */
  let damagedAfter: { seq: number; ms: number } | undefined;
  const markDamage = () => { damagedAfter ??= { seq: lastDataSeq, ms: lastDataMs }; };
  let dataRecords = 0;
  const removed: SeqRange[] = [];
  const window = new FileWindow();
  const leftovers = removeLeftoverCompactions(dir);
  if (leftovers) log.warn('unfinished segment compaction discarded (the original segment is intact)', { files: leftovers });

  for (const number of listSegmentNumbers(dir)) {
    const path = segmentPath(dir, number);
    const fd = openSync(path, 'r+');
    const size = fstatSync(fd).size;
    const segment = newSegment(dir, number, fd, size, Number.NaN);
    segments.push(segment);
    const result = scanSegment(fd, size, lastDataSeq, (header, offset, bytes, bodyStart) => {
      // Every seq below a record's seq was assigned before it (data: its own; ack and start: the next free).
      if (damagedAfter) { loss.gap(damagedAfter.seq, damagedAfter.ms, header.seq, header.time); damagedAfter = undefined; }
      if (header.kind === RecordKind.Data) {
        lastDataMs = header.time;
        if (Number.isNaN(segment.firstSeq)) segment.firstSeq = header.seq;
        index.classes[header.priority].add(segment, header.seq, offset, recordBytes(header));
        dataRecords++;
        lastDataSeq = header.seq;
        nextSeq = Math.max(nextSeq, header.seq + 1);
      } else if (header.kind === RecordKind.Ack) {
        for (const [first, last] of decodeAckRanges(bytes.subarray(bodyStart, bodyStart + header.bodyLength))) {
          index.classes[header.priority].remove(first, last, removed);
          loss.acked(first, last);
          removed.length = 0;
        }
        nextSeq = Math.max(nextSeq, header.seq);
      } else {
        if (Number.isNaN(segment.firstSeq)) segment.firstSeq = header.seq;
        nextSeq = Math.max(nextSeq, header.seq);
      }
    }, window, markDamage);
    if (Number.isNaN(segment.firstSeq)) segment.firstSeq = nextSeq;
    report.records += result.records;
    report.corruptRegions += result.corruptRegions;
    report.skippedBytes += result.skippedBytes;
    if (result.corruptRegions) log.warn('damaged records skipped in segment', { segment: path, regions: result.corruptRegions, bytes: result.skippedBytes });
    if (result.validEnd < size) {
      markDamage();
      ftruncateSync(fd, result.validEnd);
      fdatasyncSync(fd);
      report.truncatedBytes += size - result.validEnd;
      log.warn('torn or corrupt tail cut off', { segment: path, at: result.validEnd, bytes: size - result.validEnd });
    }
    segment.size = result.validEnd;
  }

  // Empty files (a crash right after creating one) carry nothing: drop them unless it is the last.
  for (let i = segments.length - 2; i >= 0; i--) {
    if (segments[i].size === 0) {
      closeSync(segments[i].fd);
      unlinkSync(segments[i].path);
      segments.splice(i, 1);
    }
  }
  if (report.truncatedBytes) fsyncDirSync(dir);

  // The reader may hold bytes of a tail that was cut off above.
  index.reader.invalidate();
  report.live = index.live;
  report.finished = dataRecords - report.live;
  report.segments = segments.length;
  Object.assign(report, loss.report());
  report.durationMs = Date.now() - started;
  return { segments, index, nextSeq, report };
}
