/**
 * The in-RAM index of one priority class: runs of consecutive seqs that lie in one segment and share a
 * state (pending or in flight), in seq order. A run keeps the file offset of its first record and the
 * bytes of its records; everything else is read back from the segment. Normal traffic makes a handful
 * of runs per segment, whatever the number of records.
 */
import { liveRecords, type Segment } from './segment-files.js';

export const enum RunState { Pending = 0, InFlight = 1 }

export interface Run {
  segment: Segment;
  first: number;
  last: number;
  /** File offset of record `first`, or an earlier position in the segment (readers skip forward). */
  offset: number;
  /** Stored bytes (header + key + payload) of the run's records. */
  bytes: number;
  state: RunState;
}

/** Where record `seq` of a run starts and how many bytes of the run lie before it; null if unreadable. */
export type Measure = (run: Run, seq: number) => { offset: number; bytesBefore: number } | null;

export class ClassRuns {
  runs: Run[] = [];
  live = 0;
  inFlight = 0;
  liveBytes = 0;
  /** No pending record has a lower seq than this (peek starts looking here). */
  scanFromSeq = 0;

  constructor(readonly code: number, private readonly measure: Measure) {}

  get pending(): number {
    return this.live - this.inFlight;
  }

  /** Adds a new (pending) record with a seq higher than every seq in the index. */
  add(segment: Segment, seq: number, offset: number, length: number): void {
    const tail = this.runs[this.runs.length - 1];
    if (tail && seq <= tail.last) throw new Error(`seq ${seq} out of order`);
    if (tail && tail.segment === segment && tail.state === RunState.Pending && tail.last + 1 === seq) {
      tail.last = seq;
      tail.bytes += length;
    } else {
      this.runs.push({ segment, first: seq, last: seq, offset, bytes: length, state: RunState.Pending });
    }
    this.live++;
    this.liveBytes += length;
    segment.live[this.code]++;
    segment.liveBytes += length;
  }

  /** Index of the first run whose last seq is >= seq (runs.length when none). */
  lowerBound(seq: number): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.runs[mid].last < seq) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Removes seqs [from, to] (any state); appends the ranges really removed to `removed`. Returns the count. */
  remove(from: number, to: number, removed: Array<[number, number]>): number {
    let count = 0;
    for (let i = this.lowerBound(from); i < this.runs.length && this.runs[i].first <= to;) {
      const run = this.runs[i];
      const a = Math.max(from, run.first);
      const b = Math.min(to, run.last);
      const at = this.carve(i, a, b);
      const gone = this.runs[at];
      this.runs.splice(at, 1);
      const n = b - a + 1;
      this.live -= n;
      if (gone.state === RunState.InFlight) this.inFlight -= n;
      this.liveBytes = this.live === 0 ? 0 : Math.max(0, this.liveBytes - gone.bytes);
      gone.segment.live[this.code] -= n;
      gone.segment.liveBytes = liveRecords(gone.segment) === 0 ? 0 : Math.max(0, gone.segment.liveBytes - gone.bytes);
      removed.push([a, b]);
      count += n;
      i = at;
    }
    return count;
  }

  /** Sets seqs [from, to] that are in state `before` to `after`; returns how many changed. */
  setState(from: number, to: number, before: RunState, after: RunState): number {
    let count = 0;
    for (let i = this.lowerBound(from); i < this.runs.length && this.runs[i].first <= to; i++) {
      const run = this.runs[i];
      if (run.state !== before) continue;
      const a = Math.max(from, run.first);
      const b = Math.min(to, run.last);
      i = this.carve(i, a, b);
      this.runs[i].state = after;
      count += b - a + 1;
      i = this.mergeAround(i);
    }
    this.inFlight += after === RunState.InFlight ? count : -count;
    if (after === RunState.Pending && count > 0) this.scanFromSeq = Math.min(this.scanFromSeq, from);
    return count;
  }

  /**
   * Marks the first `count` records of pending run i as in flight; `offset` is where the rest starts
   * and `bytes` the size of the records taken (both known to the caller, who just read them).
   */
  takeFront(i: number, count: number, offset: number, bytes: number): void {
    const run = this.runs[i];
    if (count < run.last - run.first + 1) this.splitAt(i, run.first + count, offset, bytes);
    this.runs[i].state = RunState.InFlight;
    this.inFlight += count;
    this.mergeAround(i);
  }

  /** Splits run i so that [a, b] (inside it) is a run of its own; returns that run's index. */
  private carve(i: number, a: number, b: number): number {
    let at = i;
    if (a > this.runs[at].first) {
      this.splitAt(at, a);
      at++;
    }
    if (b < this.runs[at].last) this.splitAt(at, b + 1);
    return at;
  }

  /** Splits run i before `seq`; the right half is inserted after it. */
  private splitAt(i: number, seq: number, knownOffset?: number, knownBytesBefore?: number): void {
    const run = this.runs[i];
    let offset = knownOffset;
    let bytesBefore = knownBytesBefore;
    if (offset === undefined || bytesBefore === undefined) {
      const measured = this.measure(run, seq);
      // Unreadable (damaged) stretch: keep a safe lower-bound offset and share the bytes pro rata.
      offset = measured?.offset ?? run.offset;
      bytesBefore = measured?.bytesBefore ?? Math.round((run.bytes * (seq - run.first)) / (run.last - run.first + 1));
    }
    bytesBefore = Math.min(bytesBefore, run.bytes);
    this.runs.splice(i + 1, 0, { segment: run.segment, first: seq, last: run.last, offset, bytes: run.bytes - bytesBefore, state: run.state });
    run.last = seq - 1;
    run.bytes = bytesBefore;
  }

  /** Merges run i with equal neighbours (same segment and state, adjacent seqs); returns its new index. */
  private mergeAround(i: number): number {
    let at = i;
    const next = this.runs[at + 1];
    if (next && this.joinable(this.runs[at], next)) this.join(at);
    const prev = this.runs[at - 1];
    if (prev && this.joinable(prev, this.runs[at])) {
      this.join(at - 1);
      at--;
    }
    return at;
  }

  private joinable(left: Run, right: Run): boolean {
    return left.segment === right.segment && left.state === right.state && left.last + 1 === right.first;
  }

  private join(i: number): void {
    const [left, right] = [this.runs[i], this.runs[i + 1]];
    left.last = right.last;
    left.bytes += right.bytes;
    this.runs.splice(i + 1, 1);
  }
}
