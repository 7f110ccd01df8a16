// A radio plan is legal before anything is written: country x channel x bandwidth x op class x
// transmit power, each error naming the UCI option (`smartgrid.halow.channel`) and the legal choices.
import { shimChannel } from '../regdb/shim.js';
import type { RegTable } from '../regdb/table.js';
import type { Bandwidth, RegRow } from '../regdb/types.js';
import { bandwidthsOf, channelList, defaultChannel } from './channels.js';

/** The radio options of `smartgrid.halow` a plan is made of (0 = choose automatically). */
export interface RadioOptions {
  region: string;
  channel: number;
  bandwidth: number;
  op_class: number;
  /** Conducted transmit power, dBm (0 = the driver's regulatory maximum). */
  txpower: number;
  /** Antenna gain, dBi, counted towards the EIRP limit. */
  antenna_gain: number;
}

export interface PlanIssue {
  /** `smartgrid.halow.channel` */
  option: string;
  message: string;
}

/** A legal plan: the regulatory row it stands on and what the radio will report. */
export interface RadioPlan {
  country: string;
  /** The code written to `wireless.<radio>.country` (Morse's regdb spelling). */
  countryCode: string;
  row: RegRow;
  shimChannel: number | null;
  /** Conducted power to configure, dBm, or undefined for the driver's maximum. */
  txpower: number | undefined;
  eirpDbm: number;
}

export type PlanResult = { ok: true; plan: RadioPlan } | { ok: false; issues: PlanIssue[] };

const OPTION = (name: keyof RadioOptions): string => `smartgrid.halow.${name}`;

function widthsText(country: string, rows: readonly RegRow[]): string {
  return bandwidthsOf(rows).map((width) => `${country} ${width} MHz: channels ${channelList(rows, width)}`).join('; ');
}

function pickRow(table: RegTable, country: string, options: RadioOptions): RegRow | PlanIssue {
  const rows = table.rowsFor(country);
  const widths = bandwidthsOf(rows);
  if (options.bandwidth !== 0 && !(widths as number[]).includes(options.bandwidth)) {
    return { option: OPTION('bandwidth'), message: `${country} does not allow ${options.bandwidth} MHz channels; allowed: ${widthsText(country, rows)}` };
  }
  const width = options.bandwidth === 0 ? undefined : (options.bandwidth as Bandwidth);
  if (options.channel === 0) {
    return defaultChannel(table, country, width) ?? { option: OPTION('channel'), message: `${country} has no channel the MM6108 can use` };
  }
  const row = table.find(country, options.channel);
  if (!row) return { option: OPTION('channel'), message: `${country} has no S1G channel ${options.channel}; ${widthsText(country, rows)}` };
  if (width !== undefined && row.bandwidth !== width) {
    return { option: OPTION('channel'), message: `${country} channel ${row.channel} is a ${row.bandwidth} MHz channel (${row.centreMHz} MHz), not ${width} MHz; ${country} ${width} MHz: channels ${channelList(rows, width)}` };
  }
  if (!row.mm6108Usable) {
    return { option: OPTION('channel'), message: `${country} channel ${row.channel} (${row.centreMHz} MHz) cannot be used by the MM6108 radio; ${country} ${row.bandwidth} MHz: channels ${channelList(rows, row.bandwidth)}` };
  }
  return row;
}

function checkOpClass(country: string, row: RegRow, opClass: number): PlanIssue | undefined {
  if (opClass === 0 || opClass === row.s1gOpClass || opClass === row.globalOpClass) return undefined;
  return { option: OPTION('op_class'), message: `${country} channel ${row.channel} is in S1G operating class ${row.s1gOpClass} (global ${row.globalOpClass}), not ${opClass}` };
}

function checkPower(country: string, row: RegRow, options: RadioOptions): PlanIssue | undefined {
  if (options.txpower === 0) return undefined;
  const eirp = options.txpower + options.antenna_gain;
  if (eirp <= row.eirpMaxDbm + 1e-9) return undefined;
  const most = Math.floor((row.eirpMaxDbm - options.antenna_gain) * 100) / 100;
  return {
    option: OPTION('txpower'),
    message: `${options.txpower} dBm + ${options.antenna_gain} dBi antenna gain = ${eirp} dBm EIRP exceeds the ${row.eirpMaxDbm} dBm ${country} allows on channel ${row.channel}; at most ${most} dBm with this antenna`,
  };
}

/** Checks the options against the table; on success, the plan with its channel chosen. */
export function resolvePlan(table: RegTable, options: RadioOptions): PlanResult {
  const country = table.resolve(options.region);
  if (!country) return { ok: false, issues: [{ option: OPTION('region'), message: `'${options.region}' is not a supported country; supported: ${table.countries().join(', ')}` }] };
  const picked = pickRow(table, country, options);
  if ('option' in picked) return { ok: false, issues: [picked] };
  const row = picked;
  const issues = [checkOpClass(country, row, options.op_class), checkPower(country, row, options)].filter((issue): issue is PlanIssue => issue !== undefined);
  if (issues.length > 0) return { ok: false, issues };
  const txpower = options.txpower === 0 ? undefined : options.txpower;
  return {
    ok: true,
    plan: {
      country,
      countryCode: row.morseCode,
      row,
      shimChannel: shimChannel(country, row.bandwidth, row.channel),
      txpower,
      eirpDbm: txpower === undefined ? row.eirpMaxDbm : txpower + options.antenna_gain,
    },
  };
}
