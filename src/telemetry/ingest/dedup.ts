/**
 * Drops repeated readings: same meter and timestamp, or same meter and sequence number. Memory is
 * bounded: `window` recent identities per meter, `maxMeters` meters (least recently seen evicted).
 * `isDuplicate` only looks; `remember` is called once the reading is safely on disk, so a reading
 * whose append failed is not mistaken for a duplicate when the broker redelivers it.
 */
export class DuplicateFilter {
  private readonly meters = new Map<string, MeterHistory>();

  constructor(private readonly window: number, private readonly maxMeters: number) {}

  isDuplicate(meter: string, ts: number, seq?: number): boolean {
    const history = this.meters.get(meter);
    if (!history) return false;
    return history.has(`t${ts}`) || (seq !== undefined && history.has(`s${seq}`));
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
    history.add(`t${ts}`);
    if (seq !== undefined) history.add(`s${seq}`);
  }

  get meterCount(): number { return this.meters.size; }
}

class MeterHistory {
  private readonly ring: (string | undefined)[];
  private readonly present = new Set<string>();
  private next = 0;

  constructor(private readonly size: number) {
    this.ring = new Array(size * 2);
  }

  has(id: string): boolean { return this.present.has(id); }

  add(id: string): void {
    if (this.present.has(id)) return;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.present.delete(evicted);
    this.ring[this.next] = id;
    this.present.add(id);
    this.next = (this.next + 1) % this.ring.length;
  }
}
