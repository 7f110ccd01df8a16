/**
 * The in-RAM index of every priority class plus the read-back of records from their segments:
 * peek order, in-flight state, removal, and the queries the capacity policy and compaction need.
 */
import { ClassRuns, RunState, type Run } from './class-runs.js';
import { HEADER_BYTES, PRIORITIES, RecordKind } from './record-codec.js';
import { SegmentReader } from './segment-reader.js';
import type { Segment } from './segment-files.js';
import type { QueueRecord } from './types.js';

export type SeqRange = [number, number];

/** One peeked record inside the reader's window; the bytes are valid only during the call. */
export type PeekVisitor = (seq: number, classCode: number, buf: Buffer, keyStart: number, payloadStart: number, payloadEnd: number, enqueuedAt: number) => void;

const SLAB_BYTES = 64 * 1024;

export class QueueIndex {
  readonly classes: ClassRuns[];
  readonly reader = new SegmentReader();

  constructor() {
    this.classes = PRIORITIES.map((_, code) => new ClassRuns(code, (run, seq) => this.measure(run, seq)));
  }

  /** Total records finished per class since the index was built is not kept: callers count. */
  get live(): number {
    return this.classes.reduce((sum, index) => sum + index.live, 0);
  }

  /**
   * Next pending records, alarms first, each class in seq order; they become in flight. Seqs whose
   * record cannot be read back any more are put into `unreadable` (they are in flight too).
   */
  peek(maxRecords: number, maxBytes: number, unreadable: SeqRange[]): QueueRecord[] {
    const out: QueueRecord[] = [];
    let slab = Buffer.allocUnsafe(0);
    let slabUsed = 0;
    this.peekEach(maxRecords, maxBytes, unreadable, (seq, code, buf, keyStart, payloadStart, payloadEnd, time) => {
      const bodyLength = payloadEnd - payloadStart;
      if (slabUsed + bodyLength > slab.length) {
        slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bodyLength));
        slabUsed = 0;
      }
      buf.copy(slab, slabUsed, payloadStart, payloadEnd);
      const payload = slab.subarray(slabUsed, slabUsed + bodyLength);
      slabUsed += bodyLength;
      out.push({ seq, priority: PRIORITIES[code], key: buf.toString('utf8', keyStart, payloadStart), payload, enqueuedAt: time });
    });
    return out;
  }

  /**
   * Like `peek`, without copying: `visit` sees each record inside the read window (`buf[keyStart,
   * payloadStart)` the key, `buf[payloadStart, payloadEnd)` the payload), valid only during the call.
   * Returns how many records were taken.
   */
  peekEach(maxRecords: number, maxBytes: number, unreadable: SeqRange[], visit: PeekVisitor): number {
    let count = 0;
    let bytes = 0;
    const full = (length: number): boolean => count >= maxRecords || (count > 0 && bytes + length > maxBytes);
    let limited = false;
    for (const index of this.classes) {
      let i = index.lowerBound(index.scanFromSeq);
      while (i < index.runs.length && !limited) {
        const run = index.runs[i];
        if (run.state !== RunState.Pending) {
          i++;
          continue;
        }
        let expect = run.first;
        let taken = 0;
        let takenBytes = 0;
        let resumeAt = run.offset;
        this.reader.forEach(run.segment, run.offset, (header, position, buf, at) => {
          if (header.kind !== RecordKind.Data || header.seq < expect) return true;
          if (header.seq > run.last) return false;
          const length = HEADER_BYTES + header.keyLength + header.bodyLength;
          if (full(length)) {
            limited = true;
            return false;
          }
          if (header.seq > expect) unreadable.push([expect, header.seq - 1]);
          const keyStart = at + HEADER_BYTES;
          const payloadStart = keyStart + header.keyLength;
          visit(header.seq, index.code, buf, keyStart, payloadStart, payloadStart + header.bodyLength, header.time);
          count++;
          bytes += length;
          takenBytes += length;
          taken = header.seq - run.first + 1;
          expect = header.seq + 1;
          resumeAt = position + length;
          return header.seq < run.last;
        });
        const runLength = run.last - run.first + 1;
        if (expect <= run.last && !limited) {
          // The segment ended (or could not be read) before the run did: the rest is gone.
          unreadable.push([expect, run.last]);
          taken = runLength;
        }
        if (taken === 0) break;
        if (count >= maxRecords) limited = true;
        index.takeFront(i, taken, resumeAt, takenBytes);
        index.scanFromSeq = run.first + taken;
        i = index.lowerBound(index.scanFromSeq);
      }
      if (limited) break;
    }
    return count;
  }

  /** In-flight records of these seq ranges become pending again (ahead of newer ones). */
  release(ranges: ReadonlyArray<SeqRange>): void {
    for (const index of this.classes) for (const [a, b] of ranges) index.setState(a, b, RunState.InFlight, RunState.Pending);
  }

  releaseAll(): void {
    for (const index of this.classes) if (index.inFlight > 0) index.setState(0, Number.MAX_SAFE_INTEGER, RunState.InFlight, RunState.Pending);
  }

  /** Removes the ranges from every class; returns the removed ranges per class code. */
  remove(ranges: ReadonlyArray<SeqRange>): SeqRange[][] {
    return this.classes.map((index) => {
      const removed: SeqRange[] = [];
      for (const [a, b] of ranges) index.remove(a, b, removed);
      return removed;
    });
  }

  /** Seq ranges per class of the live records enqueued before `cutoff` (oldest first). */
  enqueuedBefore(cutoff: number): SeqRange[] {
    const ranges: SeqRange[] = [];
    for (const index of this.classes) {
      scan: for (const run of index.runs) {
        let young = false;
        let lastOld = -1;
        this.forEachInRun(run, (seq, time) => {
          if (time >= cutoff) {
            young = true;
            return false;
          }
          lastOld = seq;
          return true;
        });
        if (lastOld >= 0) ranges.push([run.first, lastOld]);
        if (young) break scan;
      }
    }
    return ranges;
  }

  oldestEnqueuedAt(): number | null {
    let oldest: number | null = null;
    for (const index of this.classes) {
      const run = index.runs[0];
      if (!run) continue;
      this.forEachInRun(run, (_seq, time) => {
        if (oldest === null || time < oldest) oldest = time;
        return false;
      });
    }
    return oldest;
  }

  /** Seq ranges of the live records of one class (or all classes) stored in `segment`. */
  rangesIn(segment: Segment, code?: number): SeqRange[] {
    const ranges: SeqRange[] = [];
    for (const index of this.classes) {
      if (code !== undefined && index.code !== code) continue;
      for (const run of index.runs) if (run.segment === segment) ranges.push([run.first, run.last]);
    }
    return ranges.sort((x, y) => x[0] - y[0]);
  }

  /** After a segment file was rewritten: every run in it gets its new offset from `offsetOf`. */
  relocate(segment: Segment, offsetOf: (seq: number) => number): void {
    this.reader.invalidate();
    for (const index of this.classes) for (const run of index.runs) if (run.segment === segment) run.offset = offsetOf(run.first);
  }

  /** Calls back with (seq, enqueue time) for the run's records in order until it returns false. */
  private forEachInRun(run: Run, visit: (seq: number, time: number) => boolean): void {
    this.reader.forEach(run.segment, run.offset, (header) => {
      if (header.kind !== RecordKind.Data || header.seq < run.first) return true;
      if (header.seq > run.last) return false;
      return visit(header.seq, header.time) && header.seq < run.last;
    });
  }

  private measure(run: Run, seq: number): { offset: number; bytesBefore: number } | null {
    let bytesBefore = 0;
    let found: number | null = null;
    this.reader.forEach(run.segment, run.offset, (header, position) => {
      if (header.kind !== RecordKind.Data || header.seq < run.first) return true;
      if (header.seq >= seq) {
        found = position;
        return false;
      }
      bytesBefore += HEADER_BYTES + header.keyLength + header.bodyLength;
      return true;
    });
    return found === null ? null : { offset: found, bytesBefore };
  }
}
