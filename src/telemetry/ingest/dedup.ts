/**
 * Drops repeated readings: same meter and timestamp, or same meter and sequence number. Memory is
 * bounded: the last `window` readings per meter (16 bytes each), `maxMeters` meters (least
 * recently seen evicted), so 20,000 meters with a window of 64 take about 20 MB.
 * `isDuplicate` only looks; `remember` is called once the reading is safely on disk, so a reading
 * whose append failed is not mistaken for a duplicate when the broker redelivers it.
 */
export class DuplicateFilter {
  private readonly meters = new Map<string, MeterHistory>();

  constructor(private readonly window: number, private readonly maxMeters: number) {}

  /** A meter with readings remembered (seen recently enough to be among the `maxMeters` newest). */
  knows(meter: string): boolean {
    return this.meters.has(meter);
  }

  isDuplicate(meter: string, ts: number, seq?: number): boolean {
    const history = this.meters.get(meter);
    if (!history) return false;
    return history.matches(ts, seq);
  }

  remember(meter: string, ts: number, seq?: number): void {
    let history = this.meters.get(meter);
    if (history) {
      this.meters.delete(meter);
    } else {
      history = new MeterHistory(this.window);
      if (this.meters.size >= this.maxMeters) {
        const oldest = this.meters.keys().next().value;
        if (oldest !== undefined) this.meters.delete(oldest);
      }
    }
    this.meters.set(meter, history);
    if (!history.matches(ts, seq)) history.add(ts, seq);
  }

  get meterCount(): number { return this.meters.size; }
}

/**
 * The last `size` timestamps and sequence numbers of one meter, in two numeric rings (16 bytes each).
 * A reading newer than every one added so far (the usual case) cannot match, so it skips the scan.
 */
class MeterHistory {
  private readonly ts: Float64Array;
  private readonly seq: Float64Array;
  private next = 0;
  private newestTs = -Infinity;
  private highestSeq = -Infinity;

  constructor(private readonly size: number) {
    this.ts = new Float64Array(size).fill(Number.NaN);
    this.seq = new Float64Array(size).fill(Number.NaN);
  }

  matches(ts: number, seq: number | undefined): boolean {
    if (ts > this.newestTs && (seq === undefined || seq > this.highestSeq)) return false;
    for (let i = 0; i < this.size; i++) {
      if (this.ts[i] === ts || (seq !== undefined && this.seq[i] === seq)) return true;
    }
    return false;
  }

  add(ts: number, seq: number | undefined): void {
    this.ts[this.next] = ts;
    this.seq[this.next] = seq ?? Number.NaN;
    this.next = (this.next + 1) % this.size;
    if (ts > this.newestTs) this.newestTs = ts;
    if (seq !== undefined && seq > this.highestSeq) this.highestSeq = seq;
  }
}
