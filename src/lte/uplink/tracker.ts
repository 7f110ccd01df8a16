import type { Clock } from '../clock.js';
import type { CommandRunner } from '../command.js';
import { pingThrough, type PingOptions, type TargetSample } from './ping.js';
import { summarizeRound, type QualityThresholds } from './quality.js';

export type UplinkRole = 'wan' | 'lte';
export type UplinkState = 'unknown' | 'online' | 'offline';

export interface UplinkRound {
  at: number;
  /** What started the round: `schedule`, or a passive signal such as `telemetry disconnect`. */
  trigger: string;
  ok: boolean;
  passed: number;
  loss: number;
  latency_ms?: number;
  targets: TargetSample[];
}

export interface UplinkTransition { role: UplinkRole; from: UplinkState; to: UplinkState; at: number; cause: string }

export interface TrackingSettings {
  targets: string[];
  ping: PingOptions;
  thresholds: QualityThresholds;
  /** Targets that must pass for a round to succeed (mwan3 `reliability`). */
  reliability: number;
  /** Failed rounds in a row that take an online link offline (mwan3 `down`). */
  down: number;
  /** Passed rounds in a row that bring an offline link online (mwan3 `up`). */
  up: number;
  historySize: number;
}

export type PingFunction = (device: string, target: string, options: PingOptions, runner: CommandRunner) => Promise<TargetSample>;

export interface TrackerOptions { role: UplinkRole; settings: TrackingSettings; runner: CommandRunner; clock: Clock; ping?: PingFunction }

/**
 * Health of one uplink from probes that leave through its own device: every round pings each target
 * `count` times; the round passes when `reliability` targets pass their loss/latency thresholds. The
 * state turns offline after `down` failed rounds in a row and online after `up` passed rounds in a row.
 */
export class UplinkTracker {
  device: string | undefined;
  private stateValue: UplinkState = 'unknown';
  private sinceValue: number;
  private passedStreak = 0;
  private failedStreak = 0;
  private readonly rounds: UplinkRound[] = [];
  private causeValue = 'not probed yet';

  constructor(private readonly options: TrackerOptions) {
    this.sinceValue = options.clock.now();
  }

  get role(): UplinkRole { return this.options.role; }
  get state(): UplinkState { return this.stateValue; }
  /** When the state last changed. */
  get since(): number { return this.sinceValue; }
  get cause(): string { return this.causeValue; }
  get lastRound(): UplinkRound | undefined { return this.rounds[this.rounds.length - 1]; }

  async probe(trigger: string): Promise<UplinkTransition | undefined> {
    const device = this.device;
    if (!device) return this.linkDown('no network device');
    const { settings, runner } = this.options;
    const ping = this.options.ping ?? pingThrough;
    const samples = await Promise.all(settings.targets.map((target) => ping(device, target, settings.ping, runner)));
    return this.record(samples, trigger);
  }

  record(samples: TargetSample[], trigger: string): UplinkTransition | undefined {
    const { settings, clock } = this.options;
    const summary = summarizeRound(samples, settings.thresholds, this.stateValue === 'online');
    const needed = Math.min(settings.reliability, Math.max(1, samples.length));
    const round: UplinkRound = { at: clock.now(), trigger, ok: summary.passed >= needed, passed: summary.passed, loss: summary.loss, latency_ms: summary.latencyMs, targets: samples };
    this.rounds.push(round);
    if (this.rounds.length > settings.historySize) this.rounds.shift();
    if (round.ok) {
      this.passedStreak++;
      this.failedStreak = 0;
      if (this.stateValue !== 'online' && this.passedStreak >= settings.up) return this.become('online', `${this.passedStreak} good rounds (loss ${round.loss}%${latencyText(round)})`);
    } else {
      this.failedStreak++;
      this.passedStreak = 0;
      if (this.stateValue !== 'offline' && this.failedStreak >= settings.down) return this.become('offline', this.failureCause());
    }
    return undefined;
  }

  /** The uplink cannot carry traffic at all (no device, no route, link down): offline now, as mwan3 does on ifdown. */
  linkDown(reason: string): UplinkTransition | undefined {
    this.passedStreak = 0;
    if (this.stateValue === 'offline') return undefined;
    return this.become('offline', `link down: ${reason}`);
  }

  status(roundsShown = 10): Record<string, unknown> {
    const last = this.lastRound;
    return {
      state: this.stateValue, since: this.sinceValue, cause: this.causeValue, device: this.device ?? null,
      loss: last?.loss ?? null, latency_ms: last?.latency_ms ?? null,
      rounds: this.rounds.slice(-roundsShown).map((round) => ({
        at: round.at, trigger: round.trigger, ok: round.ok, passed: round.passed, loss: round.loss, latency_ms: round.latency_ms ?? null,
        targets: round.targets.map((target) => ({ target: target.target, loss: target.loss, latency_ms: target.latencyMs ?? null, error: target.error })),
      })),
    };
  }

  private failureCause(): string {
    const recent = this.rounds.slice(-this.failedStreak);
    const loss = Math.round(recent.reduce((sum, round) => sum + round.loss, 0) / Math.max(1, recent.length));
    if (loss >= 100) return `blackhole: no reply in ${recent.length} rounds`;
    const worst = Math.max(...recent.map((round) => round.latency_ms ?? 0));
    return `degraded: ${recent.length} failed rounds, loss ${loss}%, latency up to ${Math.round(worst)} ms`;
  }

  private become(state: UplinkState, cause: string): UplinkTransition {
    const transition: UplinkTransition = { role: this.options.role, from: this.stateValue, to: state, at: this.options.clock.now(), cause };
    this.stateValue = state;
    this.sinceValue = transition.at;
    this.causeValue = cause;
    return transition;
  }
}

function latencyText(round: UplinkRound): string {
  return round.latency_ms === undefined ? '' : `, latency ${Math.round(round.latency_ms)} ms`;
}
