import type { TargetSample } from './ping.js';

/** mwan3 `check_quality` thresholds: a link is judged by loss and latency, with a gap for hysteresis. */
export interface QualityThresholds {
  failureLoss: number;
  recoveryLoss: number;
  failureLatencyMs: number;
  recoveryLatencyMs: number;
}

export type TargetVerdict = 'good' | 'bad' | 'between';

/** Bad when loss or latency reach the failure thresholds; good when both are within the recovery ones. */
export function judgeTarget(sample: TargetSample, thresholds: QualityThresholds): TargetVerdict {
  const latency = sample.latencyMs ?? Number.POSITIVE_INFINITY;
  if (sample.received === 0 || sample.loss >= thresholds.failureLoss || latency >= thresholds.failureLatencyMs) return 'bad';
  if (sample.loss <= thresholds.recoveryLoss && latency <= thresholds.recoveryLatencyMs) return 'good';
  return 'between';
}

/**
 * Whether a target counts for the link this round. The thresholds depend on the link's state: an online
 * link fails only at the failure thresholds, an offline one recovers only within the recovery ones, so
 * a link hovering between them keeps its state (mwan3 counts "between" as a failed target either way).
 */
export function targetPasses(sample: TargetSample, thresholds: QualityThresholds, linkOnline: boolean): boolean {
  const verdict = judgeTarget(sample, thresholds);
  return linkOnline ? verdict !== 'bad' : verdict === 'good';
}

export interface RoundSummary {
  /** Targets that passed (see targetPasses). */
  passed: number;
  /** Overall loss of the round in percent (all echo requests of all targets). */
  loss: number;
  /** Mean latency of the targets that answered. */
  latencyMs?: number;
}

export function summarizeRound(samples: TargetSample[], thresholds: QualityThresholds, linkOnline: boolean): RoundSummary {
  const sent = samples.reduce((sum, sample) => sum + Math.max(sample.sent, 1), 0);
  const received = samples.reduce((sum, sample) => sum + sample.received, 0);
  const latencies = samples.flatMap((sample) => (sample.latencyMs === undefined ? [] : [sample.latencyMs]));
  return {
    passed: samples.filter((sample) => targetPasses(sample, thresholds, linkOnline)).length,
    loss: sent === 0 ? 100 : Math.round(((sent - received) / sent) * 100),
    latencyMs: latencies.length ? Math.round((latencies.reduce((a, b) => a + b, 0) / latencies.length) * 10) / 10 : undefined,
  };
}
