/** The forwarder's last hour in fixed-interval samples, for the charts of the telemetry page (ubus `history`). */

export const HISTORY_WINDOW_MS = 3600_000;
export const DEFAULT_HISTORY_INTERVAL_MS = 30_000;
/** Tests and the demo's e2e run set a shorter interval; the window stays one hour (so the ring holds more samples). */
export const HISTORY_INTERVAL_ENV = 'SMARTGRID_TELEMETRY_HISTORY_INTERVAL_MS';
const MIN_INTERVAL_MS = 100;

export interface QueueDepthByClass { alarm: number; event: number; telemetry: number }

/** One sample; rates are averages over the interval that ends at `ts` (ms). */
export interface HistorySample {
  ts: number;
  in: number;
  out: number;
  rejects: number;
  depth: QueueDepthByClass;
  oldest_age_s: number;
}

/** A fixed-capacity ring, oldest first; pushing into a full ring drops the oldest entry. */
export class SampleRing<T extends { ts: number }> {
  private readonly entries: T[] = [];
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number { return this.entries.length; }

  push(entry: T): void {
    if (this.entries.length < this.capacity) this.entries.push(entry);
    else this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first; with `since`, only entries whose `ts` is strictly later. */
  list(since?: number): T[] {
    const out: T[] = [];
    const full = this.entries.length === this.capacity;
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[full ? (this.next + i) % this.capacity : i]!;
      if (since === undefined || entry.ts > since) out.push(entry);
    }
    return out;
  }
}

/** Totals read at each tick; the history turns counter deltas into per-second rates. */
export interface HistoryProbe {
  readingsIn(): number;
  readingsOut(): number;
  rejects(): number;
  depth(): QueueDepthByClass;
  oldestAgeS(): number;
}

export function historyIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[HISTORY_INTERVAL_ENV]);
  return Number.isFinite(value) && value >= MIN_INTERVAL_MS ? Math.round(value) : DEFAULT_HISTORY_INTERVAL_MS;
}

const perSecond = (delta: number, elapsedMs: number) => (elapsedMs > 0 ? Math.round((Math.max(0, delta) * 10_000) / elapsedMs) / 10 : 0);

/** Samples `probe` every `intervalMs` into a ring holding one hour. */
export class TelemetryHistory {
  readonly intervalMs: number;
  private readonly ring: SampleRing<HistorySample>;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => number;
  private last: { at: number; in: number; out: number; rejects: number } | undefined;

  constructor(private readonly probe: HistoryProbe, options: { intervalMs?: number; now?: () => number } = {}) {
    this.intervalMs = Math.max(MIN_INTERVAL_MS, options.intervalMs ?? DEFAULT_HISTORY_INTERVAL_MS);
    this.ring = new SampleRing(Math.ceil(HISTORY_WINDOW_MS / this.intervalMs));
    this.now = options.now ?? (() => Date.now());
  }

  get capacity(): number { return this.ring.capacity; }

  start(): void {
    if (this.timer) return;
    this.baseline();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample now (the timer calls this; tests call it directly). */
  sample(): HistorySample {
    const at = this.now();
    const totals = { in: this.probe.readingsIn(), out: this.probe.readingsOut(), rejects: this.probe.rejects() };
    const last = this.last ?? { at, ...totals };
    const elapsed = at - last.at;
    const sample: HistorySample = {
      ts: at,
      in: perSecond(totals.in - last.in, elapsed),
      out: perSecond(totals.out - last.out, elapsed),
      rejects: perSecond(totals.rejects - last.rejects, elapsed),
      depth: { ...this.probe.depth() },
      oldest_age_s: this.probe.oldestAgeS(),
    };
    this.last = { at, ...totals };
    this.ring.push(sample);
    return sample;
  }

  samples(since?: number): HistorySample[] {
    return this.ring.list(since);
  }

  private baseline(): void {
    this.last = { at: this.now(), in: this.probe.readingsIn(), out: this.probe.readingsOut(), rejects: this.probe.rejects() };
  }
}
