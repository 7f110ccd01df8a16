// Public regulatory facts of the sub-1 GHz bands 802.11ah uses, as channel segments. Each segment
// is one contiguous part of a national band plan with one rule set: which S1G channels of which
// width, the operating classes (IEEE 802.11-2020 Tables E-4 / E-5), the channel starting frequency
// (centre = start + 0.5 x channel) and the limits (duty cycle, EIRP, listen-before-talk timing).
import type { Bandwidth, ChannelLimits } from './types.js';

export interface Segment {
  bandwidth: Bandwidth;
  channels: readonly number[];
  s1gOpClass: number;
  globalOpClass: number;
  startMHz: number;
  limits: ChannelLimits;
  /** Channels of this segment the MM6108 cannot tune (default: all usable). */
  mm6108Unusable?: readonly number[];
}

/** a, a + step, ... up to b. */
export function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let channel = from; channel <= to; channel += step) out.push(channel);
  return out;
}

function limits(partial: Partial<ChannelLimits> & Pick<ChannelLimits, 'eirpMaxDbm'>): ChannelLimits {
  return { dutyCycleAp: 100, dutyCycleSta: 100, dutyCycleOmitCtrlResp: false, packetSpacingMs: 0, airtimeMinMs: 0, airtimeMaxMs: 0, ...partial };
}

/** Centre frequency of channel `channel` of a segment. */
export function centreOf(segment: Pick<Segment, 'startMHz'>, channel: number): number {
  return Math.round((segment.startMHz + 0.5 * channel) * 1000) / 1000;
}

/** The edges of the channel, MHz. */
export function edgesOf(segment: Pick<Segment, 'startMHz' | 'bandwidth'>, channel: number): [number, number] {
  const centre = centreOf(segment, channel);
  return [centre - segment.bandwidth / 2, centre + segment.bandwidth / 2];
}

/** The channels of a segment whose whole width lies within [lowMHz, highMHz]. */
function within(segment: Segment, lowMHz: number, highMHz: number): Segment {
  const channels = segment.channels.filter((channel) => {
    const [low, high] = edgesOf(segment, channel);
    return low >= lowMHz - 1e-9 && high <= highMHz + 1e-9;
  });
  return { ...segment, channels };
}

// ---- 902-928 MHz (FCC part 15.247 and the Americas/Oceania plans that follow it) ----------------
// Channel raster: 1 MHz odd 1..51, 2 MHz 2..50 step 4, 4 MHz 8..48 step 8, 8 MHz 12..44 step 16,
// start 902.0 MHz. S1G op classes 1-4 (US), global op classes 68-71.
const ISM_902 = { startMHz: 902.0 } as const;
const RASTER_902: Record<Bandwidth, number[]> = { 1: range(1, 51, 2), 2: range(2, 50, 4), 4: range(8, 48, 8), 8: range(12, 44, 16) };
const GLOBAL_902: Record<Bandwidth, number> = { 1: 68, 2: 69, 4: 70, 8: 71 };

/** The 902-928 MHz raster within the given sub-bands, with one S1G op class per width. */
function plan902(opClasses: Record<Bandwidth, number>, subBands: ReadonlyArray<[number, number, ChannelLimits]>, bandwidths: readonly Bandwidth[] = [1, 2, 4, 8]): Segment[] {
  const out: Segment[] = [];
  for (const bandwidth of bandwidths) {
    for (const [low, high, rules] of subBands) {
      const segment = within({ ...ISM_902, bandwidth, channels: RASTER_902[bandwidth], s1gOpClass: opClasses[bandwidth], globalOpClass: GLOBAL_902[bandwidth], limits: rules,
        // The MM6108 does not tune the bottom 902-903 MHz of the band (channels 1 and 2).
        mm6108Unusable: [1, 2] }, low, high);
      if (segment.channels.length > 0) out.push(segment);
    }
  }
  return out;
}

const FCC_36 = limits({ eirpMaxDbm: 36 });
const US_OP: Record<Bandwidth, number> = { 1: 1, 2: 2, 4: 3, 8: 4 };

export const PLAN_US = plan902(US_OP, [[902, 928, FCC_36]]);
/** Argentina: 915-928 MHz. */
export const PLAN_AR = plan902(US_OP, [[915, 928, FCC_36]]);
/** Brazil (Anatel): 902-907.5 MHz and 915-928 MHz. */
export const PLAN_BR = plan902(US_OP, [[902, 907.5, FCC_36], [915, 928, FCC_36]]);
/** Australia (LIPD class licence): 915-928 MHz at 1 W EIRP; S1G op classes 22-25. */
export const PLAN_AU = plan902({ 1: 22, 2: 23, 4: 24, 8: 25 }, [[915, 928, limits({ eirpMaxDbm: 30 })]]);
/** New Zealand: 915-920 MHz at 1 W EIRP, 920-928 MHz at 4 W EIRP; S1G op classes 26-29. */
export const PLAN_NZ = plan902({ 1: 26, 2: 27, 4: 28, 8: 29 }, [[915, 920, limits({ eirpMaxDbm: 30 })], [920, 928, limits({ eirpMaxDbm: 36 })]]);
/** Singapore 920-925 MHz (IMDA short range devices): 1, 2 and 4 MHz, 22.15 dBm EIRP (500 mW ERP). */
const SG_920 = plan902({ 1: 18, 2: 20, 4: 21, 8: 0 }, [[920, 925, limits({ eirpMaxDbm: 22.15 })]], [1, 2, 4]);

// ---- 863-868 MHz (ETSI EN 300 220 / CEPT ERC/REC 70-03 annex 1 band h1.4) ----------------------
// 1 MHz channels only, 25 mW ERP = 16.13 dBm EIRP, duty cycle 10 % for the AP (network relay
// point) and 2.8 % for stations. Start 863.0 MHz, S1G op class 6, global op class 66.
const SRD_863 = limits({ eirpMaxDbm: 16.13, dutyCycleAp: 10, dutyCycleSta: 2.8 });
const EU_863: Segment = { startMHz: 863.0, bandwidth: 1, channels: range(1, 9, 2), s1gOpClass: 6, globalOpClass: 66, limits: SRD_863 };
/** The 915-921 MHz harmonised band (ECC/DEC/(18)06, EU 2018/1538): 1 MHz channels 31/33/35 at start 901.4. */
const EU_917: Segment = { startMHz: 901.4, bandwidth: 1, channels: [31, 33, 35], s1gOpClass: 30, globalOpClass: 77, limits: SRD_863 };

export const PLAN_EU = [EU_863];
/** Countries opening 916.4-919.4 MHz (channels 31, 33, 35). */
export const PLAN_EU_917 = [EU_863, EU_917];
/** Countries opening only 917.4-919.4 MHz (channels 33, 35). */
export const PLAN_EU_918 = [EU_863, within(EU_917, 917.4, 919.4)];
/** India (GSR 564(E)): 865-867 MHz, same rules as the European plan; channels 5, 7, 9. */
export const PLAN_IN = [within(EU_863, 865, 868)];

/** Singapore 866-869 MHz: 1 and 2 MHz channels, 2.77 % duty cycle, 29.14 dBm EIRP, 100 ms spacing, 1 s airtime. */
const SG_866_RULES = limits({ eirpMaxDbm: 29.14, dutyCycleAp: 2.77, dutyCycleSta: 2.77, packetSpacingMs: 100, airtimeMaxMs: 1000 });
export const PLAN_SG: Segment[] = [
  { startMHz: 863.0, bandwidth: 1, channels: [7, 9, 11], s1gOpClass: 17, globalOpClass: 66, limits: SG_866_RULES },
  { startMHz: 863.0, bandwidth: 2, channels: [10], s1gOpClass: 19, globalOpClass: 67, limits: SG_866_RULES },
  ...SG_920,
];

// ---- Japan 916.5-927.5 MHz (ARIB STD-T108) --------------------------------------------------------
// 10 % duty cycle, 16 dBm EIRP, 2 ms pause, 2-100 ms transmissions, control responses exempt.
// Per-width starting frequencies: 1 MHz 916.5, 2 MHz 922.5, 4 MHz 906.5.
const ARIB = limits({ eirpMaxDbm: 16, dutyCycleAp: 10, dutyCycleSta: 10, dutyCycleOmitCtrlResp: true, packetSpacingMs: 2, airtimeMinMs: 2, airtimeMaxMs: 100 });
export const PLAN_JP: Segment[] = [
  { startMHz: 916.5, bandwidth: 1, channels: [9, 13, 15, 17, 19, 21], s1gOpClass: 8, globalOpClass: 73, limits: ARIB },
  { startMHz: 922.5, bandwidth: 2, channels: [2, 6], s1gOpClass: 9, globalOpClass: 64, limits: ARIB },
  { startMHz: 922.5, bandwidth: 2, channels: [4, 8], s1gOpClass: 10, globalOpClass: 64, limits: ARIB },
  { startMHz: 906.5, bandwidth: 4, channels: [36], s1gOpClass: 11, globalOpClass: 65, limits: ARIB },
  { startMHz: 906.5, bandwidth: 4, channels: [38], s1gOpClass: 12, globalOpClass: 65, limits: ARIB },
];

// ---- Korea 917.5-923.5 MHz and 925.5-930 MHz (MSIT notice on radio equipment without licence) ----
// 917.5-921.5 MHz at 3 mW (4.77 dBm), 921.5-923.5 MHz at 10 mW; 50 ms pause, 4 s airtime. The
// 925.5-930 MHz IoT band (1 MHz at 50 mW, 2 MHz at 100 mW, 264 us pause, 220 ms airtime) is on a
// half-channel raster the MM6108 cannot tune. Start 917.5 MHz; S1G op classes 14-16, global 74-76.
const KR_LOW = limits({ eirpMaxDbm: 4.77, packetSpacingMs: 50, airtimeMaxMs: 4000 });
const KR_MID = limits({ eirpMaxDbm: 10, packetSpacingMs: 50, airtimeMaxMs: 4000 });
const KR_IOT = { packetSpacingMs: 0.264, airtimeMaxMs: 220 };
const KR = { startMHz: 917.5 } as const;
export const PLAN_KR: Segment[] = [
  { ...KR, bandwidth: 1, channels: [1, 3, 5, 7], s1gOpClass: 14, globalOpClass: 74, limits: KR_LOW },
  { ...KR, bandwidth: 1, channels: [9, 11], s1gOpClass: 14, globalOpClass: 74, limits: KR_MID },
  { ...KR, bandwidth: 2, channels: [2, 6], s1gOpClass: 15, globalOpClass: 75, limits: KR_LOW },
  { ...KR, bandwidth: 2, channels: [10], s1gOpClass: 15, globalOpClass: 75, limits: KR_MID },
  { ...KR, bandwidth: 4, channels: [8], s1gOpClass: 16, globalOpClass: 76, limits: KR_LOW },
  { ...KR, bandwidth: 1, channels: range(18, 24, 2), s1gOpClass: 14, globalOpClass: 74, limits: limits({ eirpMaxDbm: 17, ...KR_IOT }), mm6108Unusable: range(18, 24, 2) },
  { ...KR, bandwidth: 2, channels: [19, 23], s1gOpClass: 15, globalOpClass: 75, limits: limits({ eirpMaxDbm: 20, ...KR_IOT }), mm6108Unusable: [19, 23] },
];
