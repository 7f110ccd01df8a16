/** Records a damaged segment took with it: seq gaps around the damage, less what was acknowledged anyway. */

export interface LostRange {
  firstSeq: number;
  lastSeq: number;
  /** Records of this range not acknowledged or dropped before the damage: lost. */
  count: number;
  /** The lost records were enqueued between these times (ms): the last good record before, the first after. */
  fromMs: number;
  toMs: number;
}

/** Ranges reported (in the log and status); the count covers every range. */
const MAX_RANGES = 20;

export class LossTracker {
  private readonly gaps: Array<LostRange & { acked: number }> = [];

  /** Seqs strictly between `afterSeq` and `beforeSeq` are missing from the files. */
  gap(afterSeq: number, afterMs: number, beforeSeq: number, beforeMs: number): void {
    if (beforeSeq - afterSeq <= 1) return;
    this.gaps.push({ firstSeq: afterSeq + 1, lastSeq: beforeSeq - 1, count: beforeSeq - afterSeq - 1, fromMs: afterMs, toMs: beforeMs, acked: 0 });
  }

  /** An ack record found later covers [first, last]: those records had been delivered or dropped already. */
  acked(first: number, last: number): void {
    for (const gap of this.gaps) {
      const overlap = Math.min(last, gap.lastSeq) - Math.max(first, gap.firstSeq) + 1;
      if (overlap > 0) gap.acked += overlap;
    }
  }

  get lostRecords(): number {
    return this.ranges().reduce((sum, range) => sum + range.count, 0);
  }

  ranges(): LostRange[] {
    return this.gaps
      .map(({ acked, ...range }) => ({ ...range, count: Math.max(0, range.count - acked) }))
      .filter((range) => range.count > 0);
  }

  report(): { lostRecords: number; lostRanges: LostRange[] } {
    const ranges = this.ranges();
    return { lostRecords: ranges.reduce((sum, range) => sum + range.count, 0), lostRanges: ranges.slice(0, MAX_RANGES) };
  }
}
