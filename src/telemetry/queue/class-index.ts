/**
 * The in-RAM index of one priority class: records in seq order, 11 bytes each in chunked typed
 * arrays (seq as a u32 delta from the chunk's first seq, file offset u32, length u16 with a side
 * table for the rare longer record, state u8). Positions are absolute and never reused, so a position
 * stays valid while records before it are trimmed away.
 */
export const enum EntryState { Pending = 0, InFlight = 1, Done = 2 }

const CHUNK_BITS = 12;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;

const LONG_LENGTH = 0xffff;

interface Chunk {
  firstSeq: number;
  seqDelta: Uint32Array;
  offset: Uint32Array;
  length: Uint16Array;
  state: Uint8Array;
}

function newChunk(firstSeq: number): Chunk {
  return { firstSeq, seqDelta: new Uint32Array(CHUNK_SIZE), offset: new Uint32Array(CHUNK_SIZE), length: new Uint16Array(CHUNK_SIZE), state: new Uint8Array(CHUNK_SIZE) };
}

export class ClassIndex {
  private chunks: Chunk[] = [];
  /** Absolute position of chunks[0][0]. */
  private base = 0;
  /** Lengths that do not fit in u16, by position. */
  private readonly longLengths = new Map<number, number>();
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
    if ((rel >> CHUNK_BITS) >= this.chunks.length) this.chunks.push(newChunk(seq));
    const chunk = this.chunks[rel >> CHUNK_BITS];
    const slot = rel & CHUNK_MASK;
    if (seq - chunk.firstSeq > 0xffff_ffff) throw new Error(`seq ${seq} too far from ${chunk.firstSeq}`);
    chunk.seqDelta[slot] = seq - chunk.firstSeq;
    chunk.offset[slot] = offset;
    chunk.length[slot] = Math.min(length, LONG_LENGTH);
    if (length >= LONG_LENGTH) this.longLengths.set(this.tail, length);
    chunk.state[slot] = EntryState.Pending;
    this.tail++;
    this.pending++;
    this.liveBytes += length;
  }

  private chunkOf(pos: number): Chunk {
    return this.chunks[(pos - this.base) >> CHUNK_BITS];
  }

  seqAt(pos: number): number {
    const chunk = this.chunkOf(pos);
    return chunk.firstSeq + chunk.seqDelta[(pos - this.base) & CHUNK_MASK];
  }

  offsetAt(pos: number): number { return this.chunkOf(pos).offset[(pos - this.base) & CHUNK_MASK]; }

  lengthAt(pos: number): number {
    const short = this.chunkOf(pos).length[(pos - this.base) & CHUNK_MASK];
    return short === LONG_LENGTH ? (this.longLengths.get(pos) as number) : short;
  }
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
      this.liveBytes -= this.lengthAt(pos);
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
    if (this.longLengths.size > 0) for (const pos of this.longLengths.keys()) if (pos < this.head) this.longLengths.delete(pos);
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
