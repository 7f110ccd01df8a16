import { firstStep, type AgentExitKind, type RecoveryStep } from './exit-codes.js';

/** Kinds of failure the ladder climbs on: an agent exit, or a probe that found no usable RCP. */
export type LadderFaultKind = AgentExitKind | 'probe-failed';

/** Every fault kind in status; the netifd ones are seen through the interface, not an exit code. */
export type FaultKind = LadderFaultKind | 'interface-down' | 'stale-radio-url';

export interface LadderPolicy {
  /** Wait before attempt n (the last value repeats). The first retry is immediate. */
  backoffMs: number[];
  /** Attempts without a recovery before the ladder reports `failed`. */
  maxAttempts: number;
}

export const DEFAULT_LADDER: LadderPolicy = { backoffMs: [0, 500, 1000, 2000, 4000, 8000, 15000, 30000], maxAttempts: 10 };

const RUNGS: RecoveryStep[] = ['restart-agent', 'relocate', 'reset-radio'];

export interface LadderDecision { step: RecoveryStep; delayMs: number; attempt: number }

/**
 * Recovery ladder: restart otbr-agent; find and probe the RCP again (following re-enumeration);
 * reset the radio (USB re-authorisation). Each attempt without a recovery climbs one rung from
 * where the fault kind starts and waits longer; after `maxAttempts` it gives up (never a tight loop).
 */
export class RecoveryLadder {
  private attempts = 0;

  constructor(private readonly policy: LadderPolicy = DEFAULT_LADDER) {}

  get attemptCount(): number { return this.attempts; }

  next(kind: LadderFaultKind): LadderDecision {
    const { attempt, delayMs, exhausted } = this.backoff();
    const start = kind === 'probe-failed' ? 'relocate' : firstStep(kind);
    if (start === 'give-up' || exhausted) return { step: 'give-up', delayMs: 0, attempt };
    const rung = Math.min(RUNGS.indexOf(start) + (attempt - 1), RUNGS.length - 1);
    return { step: RUNGS[rung]!, delayMs, attempt };
  }

  /** Counts one attempt: its wait, and whether the cap is passed (for ladders with one rung, as through netifd). */
  backoff(): { attempt: number; delayMs: number; exhausted: boolean } {
    this.attempts++;
    const attempt = this.attempts;
    const waits = this.policy.backoffMs;
    return { attempt, delayMs: waits[Math.min(attempt - 1, waits.length - 1)]!, exhausted: attempt > this.policy.maxAttempts };
  }

  /** The network is served again: the next fault starts from the bottom. */
  recovered(): void {
    this.attempts = 0;
  }
}
