import type { Logger } from '../../lib/log.js';
import type { Clock } from '../clock.js';
import type { LteHealth } from '../health.js';
import { STEP_NAMES, type StepName, type StepPolicy } from './steps.js';

export interface StepOutcome {
  ok: boolean;
  detail: string;
}

export type StepExecutor = (reason: string) => Promise<StepOutcome>;

export interface HistoryEntry {
  at: number;
  kind: 'action' | 'recovered' | 'terminal' | 'exhausted';
  step?: StepName;
  reason: string;
  outcome?: 'ok' | 'failed';
  detail?: string;
  manual?: boolean;
  duration_ms?: number;
}

export type LadderState = 'idle' | 'grace' | 'settling' | 'waiting' | 'acting' | 'exhausted' | 'terminal';

export interface LadderOptions {
  steps: StepPolicy[];
  executors: Partial<Record<StepName, StepExecutor>>;
  clock: Clock;
  log: Logger;
  /** A failure must last this long before the first action (transient drops heal themselves). */
  failureGraceS: number;
  /** After this long up without interruption, backoff and escalation start from scratch. */
  stableResetS: number;
  historySize?: number;
  /** Earlier action times per step (from the state file) so caps survive restarts and reboots. */
  runTimes?: Partial<Record<StepName, number[]>>;
  onEntry?(entry: HistoryEntry): void;
  /** Awaited before a step runs, with the run already counted: persist the caps (a reboot never returns). */
  beforeStep?(step: StepName): Promise<void>;
}

/** A manual step the safety limits do not allow now; the message says which limit and until when. */
export class ManualStepRefused extends Error {}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The escalation ladder. `evaluate` is called on every health check; it runs at most one step at a
 * time, waits `settle` after it, escalates while the failure lasts, honours per-step spacing with
 * exponential backoff and hourly/daily caps, and never acts on terminal (SIM) conditions.
 */
export class Ladder {
  private readonly history: HistoryEntry[] = [];
  private readonly runTimes = new Map<StepName, number[]>();
  private readonly consecutive = new Map<StepName, number>();
  private index = 0;
  private downSince: number | undefined;
  private upSince: number | undefined;
  private nextActionAt: number | undefined;
  private state: LadderState = 'idle';
  private busy = false;
  private lastStep: StepName | undefined;
  private terminalReason: string | undefined;

  constructor(private readonly options: LadderOptions) {
    for (const name of STEP_NAMES) this.runTimes.set(name, [...(options.runTimes?.[name] ?? [])]);
  }

  get current(): { state: LadderState; step: StepName | undefined; next_step: StepName | undefined; next_action_at: number | undefined; down_since: number | undefined } {
    return { state: this.state, step: this.lastStep, next_step: this.peekNextStep(), next_action_at: this.nextActionAt, down_since: this.downSince };
  }

  entries(limit = Infinity): HistoryEntry[] {
    return this.history.slice(-limit).map((entry) => ({ ...entry }));
  }

  actionTimes(): Record<StepName, number[]> {
    const now = this.options.clock.now();
    const out = {} as Record<StepName, number[]>;
    for (const [name, times] of this.runTimes) out[name] = times.filter((at) => now - at < DAY);
    return out;
  }

  async evaluate(health: LteHealth): Promise<void> {
    const now = this.options.clock.now();
    if (health.status === 'up') return this.onUp(now);
    this.upSince = undefined;
    if (health.status === 'terminal') {
      if (this.terminalReason !== health.reason) {
        this.terminalReason = health.reason;
        this.record({ at: now, kind: 'terminal', reason: health.reason, detail: health.detail });
        this.options.log.error('LTE needs attention on site; no automatic recovery', { reason: health.reason, detail: health.detail });
      }
      this.state = 'terminal';
      this.nextActionAt = undefined;
      this.downSince = undefined;
      return;
    }
    this.terminalReason = undefined;
    this.downSince ??= now;
    if (now - this.downSince < this.options.failureGraceS * 1000) {
      this.state = 'grace';
      this.nextActionAt = this.downSince + this.options.failureGraceS * 1000;
      return;
    }
    if (this.busy || (this.nextActionAt !== undefined && now < this.nextActionAt)) return;
    const floor = this.stepIndex(health.floor);
    await this.escalate(now, Math.max(this.index, floor), floor, health.cause);
  }

  /**
   * Runs one step now on an operator's request. Spacing does not apply; a disabled step (reboot with
   * `reboot_enabled 0`) and a step at its hourly or daily cap are refused (ManualStepRefused), and a
   * run counts against the caps like an automatic one.
   */
  async runManual(step: StepName, reason: string): Promise<HistoryEntry> {
    const policy = this.options.steps.find((item) => item.name === step);
    if (!policy) throw new ManualStepRefused(`unknown step '${step}'`);
    const now = this.options.clock.now();
    const refusal = this.manualRefusal(policy, now);
    if (refusal) {
      this.options.log.warn('manual recovery step refused', { step, reason, refusal });
      throw new ManualStepRefused(refusal);
    }
    return this.run(policy, now, reason, true);
  }

  private manualRefusal(policy: StepPolicy, now: number): string | undefined {
    if (!policy.enabled) return policy.name === 'reboot' ? 'reboot is disabled (reboot_enabled 0)' : `step '${policy.name}' is disabled (ladder_step ${policy.name}:enabled=0)`;
    if (!this.options.executors[policy.name]) return `step '${policy.name}' has no action configured`;
    if (this.busy) return 'another recovery step is running';
    const capExpiry = this.capExpiry(policy, now);
    if (capExpiry === undefined) return undefined;
    return `step '${policy.name}' reached its cap (${policy.maxPerHour} per hour, ${policy.maxPerDay} per day); allowed again at ${new Date(capExpiry).toISOString()}`;
  }

  private onUp(now: number): void {
    if (this.downSince !== undefined || this.state === 'terminal') {
      this.record({ at: now, kind: 'recovered', reason: this.terminalReason ?? 'connectivity restored', detail: this.lastStep ? `after ${this.lastStep}` : undefined });
    }
    this.downSince = undefined;
    this.terminalReason = undefined;
    this.nextActionAt = undefined;
    this.index = 0;
    this.upSince ??= now;
    if (now - this.upSince >= this.options.stableResetS * 1000) this.consecutive.clear();
    this.state = 'idle';
  }

  private async escalate(now: number, start: number, floor: number, cause: string): Promise<void> {
    const steps = this.options.steps;
    // One pass up from `start`; past the top, start again from the floor (backoff keeps it slow).
    const order = [...steps.keys()].filter((i) => i >= start).concat([...steps.keys()].filter((i) => i >= floor && i < start));
    let earliestCapExpiry = Infinity;
    for (const i of order) {
      const policy = steps[i];
      if (!policy.enabled || !this.options.executors[policy.name]) continue;
      const capExpiry = this.capExpiry(policy, now);
      if (capExpiry !== undefined) {
        earliestCapExpiry = Math.min(earliestCapExpiry, capExpiry);
        continue;
      }
      const readyAt = this.readyAt(policy);
      if (readyAt > now) {
        this.index = i;
        this.state = 'waiting';
        this.nextActionAt = readyAt;
        return;
      }
      this.index = i;
      await this.run(policy, now, cause, false);
      this.index = i + 1 >= steps.length ? floor : i + 1;
      return;
    }
    if (this.state !== 'exhausted') {
      this.record({ at: now, kind: 'exhausted', reason: cause, detail: 'every enabled step reached its cap' });
      this.options.log.error('recovery ladder exhausted: all steps capped', { cause });
    }
    this.state = 'exhausted';
    this.nextActionAt = Number.isFinite(earliestCapExpiry) ? earliestCapExpiry : undefined;
  }

  private async run(policy: StepPolicy, now: number, reason: string, manual: boolean): Promise<HistoryEntry> {
    const executor = this.options.executors[policy.name];
    if (!executor) throw new Error(`step '${policy.name}' has no action configured`);
    this.busy = true;
    this.state = 'acting';
    this.lastStep = policy.name;
    this.runTimes.get(policy.name)!.push(now);
    this.consecutive.set(policy.name, (this.consecutive.get(policy.name) ?? 0) + 1);
    this.options.log.notice('recovery step', { step: policy.name, reason, manual });
    let outcome: StepOutcome;
    try {
      await this.options.beforeStep?.(policy.name);
      outcome = await executor(reason);
    } catch (error) {
      outcome = { ok: false, detail: (error as Error).message };
    } finally {
      this.busy = false;
    }
    const entry: HistoryEntry = {
      at: now, kind: 'action', step: policy.name, reason, outcome: outcome.ok ? 'ok' : 'failed', detail: outcome.detail,
      manual: manual || undefined, duration_ms: this.options.clock.now() - now,
    };
    this.record(entry);
    (outcome.ok ? this.options.log.notice : this.options.log.warn).call(this.options.log, 'recovery step done', { step: policy.name, outcome: entry.outcome, detail: outcome.detail });
    this.state = 'settling';
    this.nextActionAt = this.options.clock.now() + policy.settleS * 1000;
    return entry;
  }

  private readyAt(policy: StepPolicy): number {
    const times = this.runTimes.get(policy.name)!;
    const last = times[times.length - 1];
    if (last === undefined) return 0;
    const runs = Math.max(1, this.consecutive.get(policy.name) ?? 1);
    const spacing = Math.min(policy.minSpacingS * policy.backoff ** (runs - 1), Math.max(policy.maxSpacingS, policy.minSpacingS));
    return last + spacing * 1000;
  }

  /** When a capped step becomes allowed again, or undefined when it is allowed now. */
  private capExpiry(policy: StepPolicy, now: number): number | undefined {
    const times = this.runTimes.get(policy.name)!;
    while (times.length && now - times[0] >= DAY) times.shift();
    const lastHour = times.filter((at) => now - at < HOUR);
    if (policy.maxPerDay <= 0 || policy.maxPerHour <= 0) return now + DAY;
    if (times.length >= policy.maxPerDay) return times[times.length - policy.maxPerDay] + DAY;
    if (lastHour.length >= policy.maxPerHour) return lastHour[lastHour.length - policy.maxPerHour] + HOUR;
    return undefined;
  }

  private peekNextStep(): StepName | undefined {
    if (this.state === 'idle' || this.state === 'terminal' || this.state === 'exhausted') return undefined;
    return this.options.steps[this.index]?.name;
  }

  private stepIndex(name: StepName): number {
    const index = this.options.steps.findIndex((policy) => policy.name === name);
    return index < 0 ? 0 : index;
  }

  private record(entry: HistoryEntry): void {
    this.history.push(entry);
    const limit = this.options.historySize ?? 200;
    if (this.history.length > limit) this.history.splice(0, this.history.length - limit);
    this.options.onEntry?.(entry);
  }
}
