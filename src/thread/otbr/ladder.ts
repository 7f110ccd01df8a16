import { firstStep, type AgentExitKind, type RecoveryStep } from './exit-codes.js';

/** Kinds of failure the ladder climbs on: an agent exit, or a probe that found no usable RCP. */
export type FaultKind = AgentExitKind | 'probe-failed';

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

  next(kind: FaultKind): LadderDecision {
    this.attempts++;
    const attempt = this.attempts;
    const start = kind === 'probe-failed' ? 'relocate' : firstStep(kind);
    if (start === 'give-up' || attempt > this.policy.maxAttempts) return { step: 'give-up', delayMs: 0, attempt };
    const rung = Math.min(RUNGS.indexOf(start) + (attempt - 1), RUNGS.length - 1);
    const backoff = this.policy.backoffMs;
    return { step: RUNGS[rung]!, delayMs: backoff[Math.min(attempt - 1, backoff.length - 1)]!, attempt };
  }

  /** The network is served again: the next fault starts from the bottom. */
  recovered(): void {
    this.attempts = 0;
  }
}
