import { shimChannel } from '../regdb/shim.js';
import type { RegTable } from '../regdb/table.js';
import { BANDWIDTHS, type Bandwidth, type RegRow } from '../regdb/types.js';

/** One channel of a country as the page and `channels {country}` show it. */
export interface ChannelOption {
  channel: number;
  bandwidth: Bandwidth;
  centre_mhz: number;
  /** The 5 GHz channel netlink/hostapd report for it (null where the driver has none). */
  shim_channel: number | null;
  s1g_op_class: number;
  global_op_class: number;
  eirp_max_dbm: number;
  duty_cycle_ap: number;
  duty_cycle_sta: number;
  usable: boolean;
  /** Why the channel cannot be chosen, when it cannot. */
  reason?: string;
}

export function describeRow(row: RegRow): ChannelOption {
  return {
    channel: row.channel,
    bandwidth: row.bandwidth,
    centre_mhz: row.centreMHz,
    shim_channel: shimChannel(row.country, row.bandwidth, row.channel),
    s1g_op_class: row.s1gOpClass,
    global_op_class: row.globalOpClass,
    eirp_max_dbm: row.eirpMaxDbm,
    duty_cycle_ap: row.dutyCycleAp,
    duty_cycle_sta: row.dutyCycleSta,
    usable: row.mm6108Usable,
    ...(row.mm6108Usable ? {} : { reason: 'the MM6108 radio cannot tune this channel' }),
  };
}

/** The country's channels of one width as "12, 28, 44" (usable ones only). */
export function channelList(rows: readonly RegRow[], bandwidth: Bandwidth): string {
  return rows.filter((row) => row.bandwidth === bandwidth && row.mm6108Usable).map((row) => row.channel).join(', ');
}

/** The widths the country allows, ascending. */
export function bandwidthsOf(rows: readonly RegRow[]): Bandwidth[] {
  return BANDWIDTHS.filter((bandwidth) => rows.some((row) => row.bandwidth === bandwidth && row.mm6108Usable));
}

/** Contiguous frequency ranges covered by the rows, MHz. */
function blocksOf(rows: readonly RegRow[]): Array<[number, number]> {
  const spans = rows.map((row) => [row.centreMHz - row.bandwidth / 2, row.centreMHz + row.bandwidth / 2] as [number, number]).sort((a, b) => a[0] - b[0]);
  const blocks: Array<[number, number]> = [];
  for (const [low, high] of spans) {
    const last = blocks[blocks.length - 1];
    if (last && low <= last[1] + 1e-9) last[1] = Math.max(last[1], high);
    else blocks.push([low, high]);
  }
  return blocks;
}

function edgeDistance(row: RegRow, blocks: ReadonlyArray<[number, number]>): number {
  const low = row.centreMHz - row.bandwidth / 2;
  const high = row.centreMHz + row.bandwidth / 2;
  const block = blocks.find(([from, to]) => low >= from - 1e-9 && high <= to + 1e-9);
  return block ? Math.min(low - block[0], block[1] - high) : 0;
}

/**
 * The channel a plan uses when none is configured: the widest width the country allows (or the
 * one asked for), MM6108-usable, furthest from the edges of its band; ties go to the higher EIRP,
 * then the lower channel number. Undefined when the country has no such channel.
 */
export function defaultChannel(table: RegTable, country: string, bandwidth?: Bandwidth): RegRow | undefined {
  const rows = table.rowsFor(country);
  const usable = rows.filter((row) => row.mm6108Usable);
  const width = bandwidth ?? bandwidthsOf(rows).at(-1);
  const candidates = usable.filter((row) => row.bandwidth === width);
  const blocks = blocksOf(rows);
  const score = (row: RegRow): [number, number, number] => [edgeDistance(row, blocks), row.eirpMaxDbm, -row.channel];
  return candidates.reduce<RegRow | undefined>((best, row) => {
    if (!best) return row;
    const [a, b] = [score(row), score(best)];
    for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return a[index]! > b[index]! ? row : best;
    return best;
  }, undefined);
}
