/**
 * Exponential backoff with jitter and a cap: the n-th delay is drawn uniformly from
 * [base/2, base] where base = min(cap, initial * 2^n). Half of the delay stays random so a fleet of
 * gateways does not reconnect in lockstep after a ThingsBoard restart.
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly initialMs: number, private readonly maxMs: number, private readonly random: () => number = Math.random) {}

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(base / 2 + (this.random() * base) / 2);
  }

  reset(): void { this.attempt = 0; }

  get failures(): number { return this.attempt; }
}
