export type RuleName = 'range' | 'rate' | 'zscore';

/** One rule violation: which rule, the value, and the range that was expected. */
export interface Anomaly {
  meter: string;
  ts: number;
  rule: RuleName;
  key: string;
  value: number;
  min?: number;
  max?: number;
  reason: string;
}

export function describeRange(min: number | undefined, max: number | undefined): string {
  const fmt = (n: number | undefined) => (n === undefined ? '' : String(Math.round(n * 1000) / 1000));
  return `${fmt(min)}..${fmt(max)}`;
}

/** Per-meter state with a bound on meters kept (least recently updated dropped first). */
export class BoundedMap<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined { return this.map.get(key); }

  set(key: string, value: V): void {
    this.map.delete(key);
    if (this.map.size >= this.max) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    this.map.set(key, value);
  }

  get size(): number { return this.map.size; }

  clear(): void { this.map.clear(); }
}
