/** Rebuilds the in-RAM index from the segment files at open and repairs torn tails. */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import type { Logger } from '../../lib/log.js';
import { ClassIndex, EntryState } from './class-index.js';
import { PRIORITIES, RecordKind, decodeAckRanges, recordBytes } from './record-codec.js';
import { fsyncDirSync, listSegmentNumbers, newSegment, segmentPath, type Segment } from './segment-files.js';
import { scanSegment } from './segment-scan.js';

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
  durationMs: number;
}

export interface RecoveredState {
  segments: Segment[];
  classes: ClassIndex[];
  nextSeq: number;
  report: RecoveryReport;
}

export function recoverSegments(dir: string, log: Logger): RecoveredState {
  const started = Date.now();
  const classes = PRIORITIES.map(() => new ClassIndex());
  const segments: Segment[] = [];
  const report: RecoveryReport = { segments: 0, records: 0, live: 0, finished: 0, corruptRegions: 0, skippedBytes: 0, truncatedBytes: 0, durationMs: 0 };
  let nextSeq = 1;
  let lastDataSeq = 0;

  const segmentFor = (seq: number): Segment | undefined => {
    for (let i = segments.length - 1; i >= 0; i--) if (segments[i].firstSeq <= seq) return segments[i];
    return undefined;
  };

  const finishRange = (priority: number, first: number, last: number): void => {
    const index = classes[priority];
    for (let pos = index.lowerBound(first); pos < index.tail && index.seqAt(pos) <= last; pos++) {
      if (index.stateAt(pos) === EntryState.Done) continue;
      index.setState(pos, EntryState.Done);
      const owner = segmentFor(index.seqAt(pos));
      if (owner) owner.live[priority]--;
    }
  };

  for (const number of listSegmentNumbers(dir)) {
    const path = segmentPath(dir, number);
    const fd = openSync(path, 'r+');
    const size = fstatSync(fd).size;
    const segment = newSegment(dir, number, fd, size, Number.NaN);
    segments.push(segment);
    const result = scanSegment(fd, size, lastDataSeq, (header, offset, bytes, bodyStart) => {
      if (header.kind === RecordKind.Data) {
        if (Number.isNaN(segment.firstSeq)) segment.firstSeq = header.seq;
        classes[header.priority].push(header.seq, offset, recordBytes(header));
        segment.live[header.priority]++;
        lastDataSeq = header.seq;
        nextSeq = Math.max(nextSeq, header.seq + 1);
      } else if (header.kind === RecordKind.Ack) {
        for (const [first, last] of decodeAckRanges(bytes.subarray(bodyStart, bodyStart + header.bodyLength))) finishRange(header.priority, first, last);
        nextSeq = Math.max(nextSeq, header.seq);
      } else {
        if (Number.isNaN(segment.firstSeq)) segment.firstSeq = header.seq;
        nextSeq = Math.max(nextSeq, header.seq);
      }
    });
    if (Number.isNaN(segment.firstSeq)) segment.firstSeq = nextSeq;
    report.records += result.records;
    report.corruptRegions += result.corruptRegions;
    report.skippedBytes += result.skippedBytes;
    if (result.corruptRegions) log.warn('damaged records skipped in segment', { segment: path, regions: result.corruptRegions, bytes: result.skippedBytes });
    if (result.validEnd < size) {
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

  for (const index of classes) {
    report.live += index.live;
    index.trimHead();
  }
  report.finished = classes.reduce((sum, index) => sum + index.tail, 0) - report.live;
  report.segments = segments.length;
  report.durationMs = Date.now() - started;
  return { segments, classes, nextSeq, report };
}
