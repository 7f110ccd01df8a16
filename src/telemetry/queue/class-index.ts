/**
 * The in-RAM index of one priority class: records in seq order, 17 bytes each (seq, file offset,
 * length, state) in chunked typed arrays. Positions are absolute and never reused, so a position
 * stays valid while records before it are trimmed away.
 */
export const enum EntryState { Pending = 0, InFlight = 1, Done = 2 }

const CHUNK_BITS = 12;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;

interface Chunk {
  seq: Float64Array;
  offset: Uint32Array;
  length: Uint32Array;
  state: Uint8Array;
}

function newChunk(): Chunk {
  return { seq: new Float64Array(CHUNK_SIZE), offset: new Uint32Array(CHUNK_SIZE), length: new Uint32Array(CHUNK_SIZE), state: new Uint8Array(CHUNK_SIZE) };
}

export class ClassIndex {
  private chunks: Chunk[] = [];
  /** Absolute position of chunks[0][0]. */
  private base = 0;
  head = 0;
  tail = 0;
  /** No pending entry exists before this position (peek starts scanning here). */
  scanFrom = 0;
  pending = 0;
  inFlight = 0;
  liveBytes = 0;

  get live(): number {
    return this.pending + this.inFlight;
  }

  push(seq: number, offset: number, length: number): void {
    if (this.tail > this.head && seq <= this.seqAt(this.tail - 1)) throw new Error(`seq ${seq} out of order`);
    const rel = this.tail - this.base;
    if ((rel >> CHUNK_BITS) >= this.chunks.length) this.chunks.push(newChunk());
    const chunk = this.chunks[rel >> CHUNK_BITS];
    const slot = rel & CHUNK_MASK;
    chunk.seq[slot] = seq;
    chunk.offset[slot] = offset;
    chunk.length[slot] = length;
    chunk.state[slot] = EntryState.Pending;
    this.tail++;
    this.pending++;
    this.liveBytes += length;
  }

  private chunkOf(pos: number): Chunk {
    return this.chunks[(pos - this.base) >> CHUNK_BITS];
  }

  seqAt(pos: number): number { return this.chunkOf(pos).seq[(pos - this.base) & CHUNK_MASK]; }
  offsetAt(pos: number): number { return this.chunkOf(pos).offset[(pos - this.base) & CHUNK_MASK]; }
  lengthAt(pos: number): number { return this.chunkOf(pos).length[(pos - this.base) & CHUNK_MASK]; }
  stateAt(pos: number): EntryState { return this.chunkOf(pos).state[(pos - this.base) & CHUNK_MASK]; }

  setState(pos: number, state: EntryState): void {
    const chunk = this.chunkOf(pos);
    const slot = (pos - this.base) & CHUNK_MASK;
    const before = chunk.state[slot] as EntryState;
    if (before === state) return;
    if (before === EntryState.Done) throw new Error('a finished entry cannot come back');
    if (before === EntryState.Pending) this.pending--; else this.inFlight--;
    if (state === EntryState.Pending) {
      this.pending++;
      if (pos < this.scanFrom) this.scanFrom = pos;
    } else if (state === EntryState.InFlight) {
      this.inFlight++;
    } else {
      this.liveBytes -= chunk.length[slot];
    }
    chunk.state[slot] = state;
  }

  /** First position whose seq is >= seq (tail when none). */
  lowerBound(seq: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqAt(mid) < seq) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  find(seq: number): number {
    const pos = this.lowerBound(seq);
    return pos < this.tail && this.seqAt(pos) === seq ? pos : -1;
  }

  /** First live position at or after `from`, or -1. */
  nextLive(from: number): number {
    for (let pos = Math.max(from, this.head); pos < this.tail; pos++) if (this.stateAt(pos) !== EntryState.Done) return pos;
    return -1;
  }

  /** Drops finished entries from the front and frees chunks nobody references any more. */
  trimHead(): void {
    while (this.head < this.tail && this.stateAt(this.head) === EntryState.Done) this.head++;
    if (this.scanFrom < this.head) this.scanFrom = this.head;
    while (this.chunks.length > 0 && this.head - this.base >= CHUNK_SIZE) {
      this.chunks.shift();
      this.base += CHUNK_SIZE;
    }
  }

  /** Inclusive seq ranges covering runs of consecutive positions (sorted in place). */
  rangesOf(positions: number[]): Array<[number, number]> {
    positions.sort((a, b) => a - b);
    const ranges: Array<[number, number]> = [];
    let start = positions[0];
    let prev = start;
    for (let i = 1; i <= positions.length; i++) {
      const pos = positions[i];
      if (i < positions.length && pos === prev + 1) {
        prev = pos;
        continue;
      }
      ranges.push([this.seqAt(start), this.seqAt(prev)]);
      start = pos;
      prev = pos;
    }
    return ranges;
  }
}
