// Capacity of a plan: how much airtime the meters behind each DCU need at the plan's MCS and
// width, against the region's duty-cycle budget for stations and for the AP (which answers every
// frame with an ACK), and how many such DCUs one AP can carry.
import type { Bandwidth } from '../regdb/types.js';

/** 802.11ah PHY rates, Mbit/s, one spatial stream, long guard interval (IEEE 802.11-2020, 23.5). */
const PHY_RATE_MBPS: Record<Bandwidth, readonly number[]> = {
  1: [0.3, 0.6, 0.9, 1.2, 1.8, 2.4, 2.7, 3.0, 3.6, 4.0],
  2: [0.65, 1.3, 1.95, 2.6, 3.9, 5.2, 5.85, 6.5, 7.8],
  4: [1.35, 2.7, 4.05, 5.4, 8.1, 10.8, 12.15, 13.5, 16.2, 18.0],
  8: [2.925, 5.85, 8.775, 11.7, 17.55, 23.4, 26.325, 29.25, 35.1, 39.0],
};

/** S1G preamble: 1 MHz (S1G_1M) 560 us, 2 MHz and wider (S1G_SHORT) 240 us. */
const PREAMBLE_US: Record<Bandwidth, number> = { 1: 560, 2: 240, 4: 240, 8: 240 };
/** MAC header + FCS + CCMP of a data frame, bytes. */
const MAC_OVERHEAD_BYTES = 44;
/** SIFS (160 us) + an NDP ACK (one preamble, no payload) + average backoff/DIFS (~ 264 us). */
const ACK_AND_SPACING_US = 160 + 264;

export interface CapacityInput {
  bandwidth: Bandwidth;
  mcs: number;
  /** Meters behind each DCU. */
  metersPerDcu: readonly number[];
  readingsPerDay: number;
  /** Application payload per reading, bytes. */
  frameBytes: number;
  /** Regulatory duty cycle, percent per hour. */
  dutyCycleAp: number;
  dutyCycleSta: number;
  /** Stations the AP accepts (max_stations). */
  maxStations: number;
}

export interface CapacityResult {
  phy_rate_mbps: number;
  /** Airtime of one reading's frame exchange, ms. */
  frame_airtime_ms: number;
  /** Busiest DCU: share of an hour on air, percent, against the station duty cycle. */
  busiest_dcu_duty_pct: number;
  /** The AP's ACKs, percent of an hour, against the AP duty cycle. */
  ap_duty_pct: number;
  /** All DCUs together, percent of the channel's airtime. */
  channel_load_pct: number;
  /** Smallest remaining margin of the three budgets, percent of the budget. */
  headroom_pct: number;
  within_budget: boolean;
  /** DCUs like the average one the AP could carry before a budget or max_stations is hit. */
  max_dcus: number;
}

export class CapacityError extends Error {}

export function phyRateMbps(bandwidth: Bandwidth, mcs: number): number {
  const rate = PHY_RATE_MBPS[bandwidth][mcs];
  if (rate === undefined) throw new CapacityError(`MCS ${mcs} does not exist at ${bandwidth} MHz (MCS 0-${PHY_RATE_MBPS[bandwidth].length - 1})`);
  return rate;
}

export function planCapacity(input: CapacityInput): CapacityResult {
  const rate = phyRateMbps(input.bandwidth, input.mcs);
  const dataUs = PREAMBLE_US[input.bandwidth] + ((input.frameBytes + MAC_OVERHEAD_BYTES) * 8) / rate;
  const ackUs = PREAMBLE_US[input.bandwidth] + ACK_AND_SPACING_US;
  const perHour = (meters: number) => (meters * input.readingsPerDay) / 24;
  const shareOfHour = (us: number) => (us / 3_600_000_000) * 100;
  const total = input.metersPerDcu.reduce((sum, meters) => sum + meters, 0);
  const busiest = Math.max(0, ...input.metersPerDcu);
  const busiestDuty = shareOfHour(perHour(busiest) * dataUs);
  const apDuty = shareOfHour(perHour(total) * ackUs);
  const load = shareOfHour(perHour(total) * (dataUs + ackUs));
  const headroom = Math.min(1 - busiestDuty / input.dutyCycleSta, 1 - apDuty / input.dutyCycleAp, 1 - load / 100) * 100;
  const dcus = Math.max(1, input.metersPerDcu.length);
  const perDcuAp = apDuty / dcus;
  const perDcuLoad = load / dcus;
  const byBudget = Math.floor(Math.min(perDcuAp > 0 ? input.dutyCycleAp / perDcuAp : Infinity, perDcuLoad > 0 ? 100 / perDcuLoad : Infinity));
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    phy_rate_mbps: rate,
    frame_airtime_ms: round((dataUs + ackUs) / 1000),
    busiest_dcu_duty_pct: round(busiestDuty),
    ap_duty_pct: round(apDuty),
    channel_load_pct: round(load),
    headroom_pct: round(headroom),
    within_budget: headroom >= 0,
    max_dcus: Math.min(input.maxStations, busiestDuty <= input.dutyCycleSta ? byBudget : 0),
  };
}
