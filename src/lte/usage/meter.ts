import { readStateFile, writeStateFile } from '../state-file.js';
import { dayKey, nextPeriodStart, periodStart } from './period.js';

export type QuotaPolicy = 'data-saving' | 'stop-non-critical' | 'disconnect';
export type QuotaLevel = 'ok' | 'warning' | 'exceeded';

export interface UsageOptions {
  stateFile: string;
  resetDay: number;
  /** 0 disables the quota (usage is still counted). */
  quotaBytes: number;
  warningPercent: number;
  historyDays?: number;
}

interface DayUsage { rx: number; tx: number }

interface UsageState {
  version: 1;
  period_start: number;
  rx: number;
  tx: number;
  days: Record<string, DayUsage>;
  /** Last raw counter values, to turn cumulative counters into deltas across restarts. */
  counter_rx?: number;
  counter_tx?: number;
  warned?: boolean;
  exceeded?: boolean;
}

function isUsageState(value: unknown): value is UsageState {
  const state = value as Partial<UsageState> | null;
  return typeof state === 'object' && state !== null && state.version === 1 && typeof state.rx === 'number' && typeof state.tx === 'number';
}

export interface QuotaTransition { level: QuotaLevel; used: number; quota: number }

/**
 * Counts LTE bytes per billing period and per day from cumulative counters (bearer stats or
 * /sys/class/net/<dev>/statistics). A counter that goes backwards (new bearer, modem reset) restarts
 * the delta from zero instead of counting negative or double.
 */
export class UsageMeter {
  private state: UsageState;
  private dirty = false;

  constructor(private readonly options: UsageOptions, now: number) {
    this.state = { version: 1, period_start: periodStart(now, options.resetDay), rx: 0, tx: 0, days: {} };
  }

  /** Reads the saved counters (or the previous copy); returns what was wrong with the file, if anything. */
  async load(now: number): Promise<string | undefined> {
    const saved = await readStateFile(this.options.stateFile, isUsageState);
    if (saved.kind === 'ok') this.state = { ...saved.value, days: saved.value.days ?? {} };
    this.rollPeriod(now);
    return saved.kind === 'missing' ? undefined : saved.kind === 'ok' ? saved.problem : saved.problem;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    await writeStateFile(this.options.stateFile, this.state);
    this.dirty = false;
  }

  /** Feeds cumulative counters; returns a transition when the quota level changes. */
  record(counterRx: number, counterTx: number, now: number): QuotaTransition | undefined {
    this.rollPeriod(now);
    const deltaRx = this.delta(counterRx, this.state.counter_rx);
    const deltaTx = this.delta(counterTx, this.state.counter_tx);
    this.state.counter_rx = counterRx;
    this.state.counter_tx = counterTx;
    if (deltaRx || deltaTx) {
      this.state.rx += deltaRx;
      this.state.tx += deltaTx;
      const key = dayKey(now);
      const day = (this.state.days[key] ??= { rx: 0, tx: 0 });
      day.rx += deltaRx;
      day.tx += deltaTx;
      this.pruneDays();
    }
    this.dirty = true;
    return this.checkLevel();
  }

  /** Counters of a new connection start at zero; forget the old baseline. */
  resetBaseline(): void {
    this.state.counter_rx = undefined;
    this.state.counter_tx = undefined;
  }

  get level(): QuotaLevel {
    if (this.state.exceeded) return 'exceeded';
    return this.state.warned ? 'warning' : 'ok';
  }

  status(now: number): Record<string, unknown> {
    const used = this.state.rx + this.state.tx;
    const quota = this.options.quotaBytes;
    return {
      period_start: this.state.period_start,
      period_end: nextPeriodStart(now, this.options.resetDay),
      rx_bytes: this.state.rx,
      tx_bytes: this.state.tx,
      used_bytes: used,
      quota_bytes: quota,
      used_percent: quota ? Math.round((used / quota) * 1000) / 10 : null,
      level: this.level,
    };
  }

  days(): Array<{ day: string; rx_bytes: number; tx_bytes: number }> {
    return Object.entries(this.state.days).sort(([a], [b]) => a.localeCompare(b)).map(([day, usage]) => ({ day, rx_bytes: usage.rx, tx_bytes: usage.tx }));
  }

  private delta(current: number, previous: number | undefined): number {
    if (previous === undefined) return 0;
    return current >= previous ? current - previous : current;
  }

  private rollPeriod(now: number): void {
    const start = periodStart(now, this.options.resetDay);
    if (start === this.state.period_start) return;
    this.state = { ...this.state, period_start: start, rx: 0, tx: 0, warned: false, exceeded: false };
    this.dirty = true;
  }

  private pruneDays(): void {
    const keep = this.options.historyDays ?? 93;
    const keys = Object.keys(this.state.days).sort();
    for (const key of keys.slice(0, Math.max(0, keys.length - keep))) delete this.state.days[key];
  }

  private checkLevel(): QuotaTransition | undefined {
    const quota = this.options.quotaBytes;
    if (!quota) return undefined;
    const used = this.state.rx + this.state.tx;
    if (used >= quota && !this.state.exceeded) {
      this.state.exceeded = true;
      this.state.warned = true;
      return { level: 'exceeded', used, quota };
    }
    if (used >= (quota * this.options.warningPercent) / 100 && !this.state.warned) {
      this.state.warned = true;
      return { level: 'warning', used, quota };
    }
    return undefined;
  }
}
