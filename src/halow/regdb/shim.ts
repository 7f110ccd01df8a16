// The 5 GHz "shim" channel: Morse's mac80211 driver registers every S1G channel as a 5 GHz channel,
// so netlink, `iw` and hostapd report S1G channels by these numbers. Each 1 MHz slot of a plan maps
// to one 20 MHz-spaced 5 GHz channel in band order; a wider channel maps to the middle of the
// 5 GHz channels of the 1 MHz slots it covers. Japan's plan maps by its own table.
import type { Bandwidth } from './types.js';

/** 5 GHz channel of the n-th 1 MHz slot (S1G channel 2n + 1) of the plan. */
const SLOTS_5G = [132, 136, 36, 40, 44, 48, 52, 56, 60, 64, 100, 104, 108, 112, 116, 120, 124, 128, 149, 153, 157, 161, 165, 169, 173, 177];

/** Japan: (bandwidth, S1G channel) -> 5 GHz channel. */
const JAPAN_5G: Readonly<Record<string, number>> = {
  '1:13': 36, '1:15': 40, '1:17': 44, '1:19': 48, '1:21': 64,
  '2:2': 38, '2:6': 46, '2:4': 54, '2:8': 62,
  '4:36': 42, '4:38': 58,
};

/** The 5 GHz channel the driver reports for an S1G channel, or null where the driver has none. */
export function shimChannel(country: string, bandwidth: Bandwidth, channel: number): number | null {
  if (country === 'JP') return JAPAN_5G[`${bandwidth}:${channel}`] ?? null;
  const slots: number[] = [];
  for (let oneMHz = channel - (bandwidth - 1); oneMHz <= channel + (bandwidth - 1); oneMHz += 2) {
    if (oneMHz % 2 !== 1) return null;
    const slot = SLOTS_5G[(oneMHz - 1) / 2];
    if (slot === undefined) return null;
    slots.push(slot);
  }
  const first = slots[0]!;
  const last = slots[slots.length - 1]!;
  return last < first ? null : (first + last) / 2;
}
