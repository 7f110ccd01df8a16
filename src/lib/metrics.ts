/** A small metrics registry; each service exposes `snapshot()` through its ubus `status`/`stats`. */
export class Counter {
  private value = 0;
  inc(by = 1): void { this.value += by; }
  get(): number { return this.value; }
}

export class Gauge {
  private value = 0;
  set(value: number): void { this.value = value; }
  get(): number { return this.value; }
}

/** Counts per label value, e.g. rejects by reason. */
export class LabelledCounter {
  private readonly values = new Map<string, number>();
  inc(label: string, by = 1): void { this.values.set(label, (this.values.get(label) ?? 0) + by); }
  get(label: string): number { return this.values.get(label) ?? 0; }
  toJSON(): Record<string, number> { return Object.fromEntries(this.values); }
}

/** Events per second over a sliding window of one-second buckets. */
export class RateMeter {
  private readonly buckets: number[];
  private bucketSecond = 0;
  private total = 0;

  constructor(private readonly windowSeconds = 60, private readonly now = () => Date.now()) {
    this.buckets = new Array(windowSeconds).fill(0);
  }

  mark(count = 1): void {
    this.roll();
    this.buckets[this.bucketSecond % this.windowSeconds] += count;
    this.total += count;
  }

  /** Average rate over the window, per second. */
  rate(): number {
    this.roll();
    return this.buckets.reduce((a, b) => a + b, 0) / this.windowSeconds;
  }

  count(): number { return this.total; }

  private roll(): void {
    const second = Math.floor(this.now() / 1000);
    if (this.bucketSecond === 0) this.bucketSecond = second;
    const gap = Math.min(second - this.bucketSecond, this.windowSeconds);
    for (let i = 1; i <= gap; i++) this.buckets[(this.bucketSecond + i) % this.windowSeconds] = 0;
    if (second > this.bucketSecond) this.bucketSecond = second;
  }
}

export type MetricValue = Counter | Gauge | LabelledCounter | RateMeter;

export class MetricsRegistry {
  private readonly metrics = new Map<string, MetricValue>();

  counter(name: string): Counter { return this.getOrCreate(name, () => new Counter()); }
  gauge(name: string): Gauge { return this.getOrCreate(name, () => new Gauge()); }
  labelled(name: string): LabelledCounter { return this.getOrCreate(name, () => new LabelledCounter()); }
  rate(name: string, windowSeconds = 60): RateMeter { return this.getOrCreate(name, () => new RateMeter(windowSeconds)); }

  snapshot(): Record<string, number | Record<string, number>> {
    const out: Record<string, number | Record<string, number>> = {};
    for (const [name, metric] of this.metrics) {
      if (metric instanceof LabelledCounter) out[name] = metric.toJSON();
      else if (metric instanceof RateMeter) out[name] = Math.round(metric.rate() * 100) / 100;
      else out[name] = metric.get();
    }
    return out;
  }

  private getOrCreate<T extends MetricValue>(name: string, make: () => T): T {
    const existing = this.metrics.get(name);
    if (existing) return existing as T;
    const created = make();
    this.metrics.set(name, created);
    return created;
  }
}
