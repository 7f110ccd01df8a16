import { runProbe, type ProbeContext, type ProbeResult, type ProbeTarget } from './methods.js';

export type LinkVerdict = 'unknown' | 'up' | 'down';

export interface ProberOptions {
  targets: ProbeTarget[];
  /** How many targets must answer for a round to count as a success (mwan3 `reliability`). */
  reliability: number;
  /** Consecutive failed rounds that turn an up (or unknown) link down (mwan3 `down`). */
  down: number;
  /** Consecutive successful rounds that turn a down (or unknown) link up (mwan3 `up`). */
  up: number;
  context: ProbeContext;
  run?: (target: ProbeTarget, context: ProbeContext) => Promise<ProbeResult>;
}

export interface RoundResult {
  at: number;
  ok: boolean;
  successes: number;
  results: ProbeResult[];
  verdict: LinkVerdict;
  changed: boolean;
}

/**
 * mwan3-like tracking: each round probes every target in parallel; a round succeeds when at least
 * `reliability` targets answer. The verdict flips to down after `down` failed rounds in a row and to
 * up after `up` good rounds in a row; a single odd round never flips it (hysteresis).
 */
export class Prober {
  private verdictValue: LinkVerdict = 'unknown';
  private goodStreak = 0;
  private badStreak = 0;
  private last: RoundResult | undefined;

  constructor(private readonly options: ProberOptions) {}

  get verdict(): LinkVerdict { return this.verdictValue; }
  get lastRound(): RoundResult | undefined { return this.last; }

  setDevice(device: string): void {
    this.options.context.device = device;
  }

  async round(): Promise<RoundResult> {
    const run = this.options.run ?? runProbe;
    const results = await Promise.all(this.options.targets.map((target) => run(target, this.options.context)));
    const successes = results.filter((result) => result.ok).length;
    const needed = Math.min(Math.max(1, this.options.reliability), Math.max(1, this.options.targets.length));
    return this.record(results, successes >= needed);
  }

  record(results: ProbeResult[], ok: boolean): RoundResult {
    const before = this.verdictValue;
    if (ok) {
      this.goodStreak++;
      this.badStreak = 0;
      if (this.verdictValue !== 'up' && this.goodStreak >= this.options.up) this.verdictValue = 'up';
    } else {
      this.badStreak++;
      this.goodStreak = 0;
      if (this.verdictValue !== 'down' && this.badStreak >= this.options.down) this.verdictValue = 'down';
    }
    this.last = {
      at: Date.now(), ok, successes: results.filter((result) => result.ok).length, results,
      verdict: this.verdictValue, changed: before !== this.verdictValue,
    };
    return this.last;
  }
}
