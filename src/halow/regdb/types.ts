/** S1G channel widths the MM6108 class radios and the regulatory plans use. */
export const BANDWIDTHS = [1, 2, 4, 8] as const;
export type Bandwidth = (typeof BANDWIDTHS)[number];

/** What a regulator allows on one channel, besides its frequency. */
export interface ChannelLimits {
  /** Maximum duty cycle, percent per hour, of an access point / a station. */
  dutyCycleAp: number;
  dutyCycleSta: number;
  /** Maximum EIRP, dBm. */
  eirpMaxDbm: number;
  /** Control responses (ACK, CTS) do not count towards the duty-cycle budget. */
  dutyCycleOmitCtrlResp: boolean;
  /** Pause after each transmission, ms (0 = none). */
  packetSpacingMs: number;
  /** Transmission time limits, ms (0 = none). */
  airtimeMinMs: number;
  airtimeMaxMs: number;
}

/** One (country, bandwidth, S1G channel) row of the regulatory table. */
export interface RegRow extends ChannelLimits {
  /** ISO 3166 alpha-2 code (`EU` for the harmonised European plan). */
  country: string;
  /** The code Morse Micro's driver and regdb use for the country (`DD` for Germany, `UK`, `FL`). */
  morseCode: string;
  countryName: string;
  bandwidth: Bandwidth;
  channel: number;
  s1gOpClass: number;
  globalOpClass: number;
  centreMHz: number;
  /** The MM6108 (Banff C) can operate on this channel. */
  mm6108Usable: boolean;
}
