import type { ChannelsReply, PlanView } from './contract.js';
import { bandwidthsOf, defaultChannel, describeRow } from './plan/channels.js';
import type { RadioPlan } from './plan/validate.js';
import type { RegTable } from './regdb/table.js';
import { BANDWIDTHS } from './regdb/types.js';

export function planView(plan: RadioPlan): PlanView {
  const { row } = plan;
  return {
    country: plan.country,
    country_code: plan.countryCode,
    channel: row.channel,
    bandwidth: row.bandwidth,
    centre_mhz: row.centreMHz,
    shim_channel: plan.shimChannel,
    s1g_op_class: row.s1gOpClass,
    global_op_class: row.globalOpClass,
    eirp_dbm: plan.eirpDbm,
    eirp_max_dbm: row.eirpMaxDbm,
    txpower_dbm: plan.txpower ?? null,
    duty_cycle_ap: row.dutyCycleAp,
    duty_cycle_sta: row.dutyCycleSta,
  };
}

/** `channels {country}`: every row of the country, the default, and the widths it refuses. */
export function channelsView(table: RegTable, country: string): ChannelsReply | undefined {
  const code = table.resolve(country);
  if (!code) return undefined;
  const rows = table.rowsFor(code);
  const allowed = bandwidthsOf(rows);
  return {
    country: code,
    country_name: rows[0]?.countryName ?? code,
    default_channel: defaultChannel(table, code)?.channel ?? null,
    bandwidths: allowed,
    refused_bandwidths: BANDWIDTHS.filter((width) => !allowed.includes(width)).map((bandwidth) => ({
      bandwidth,
      reason: `${code}'s regulations allow no ${bandwidth} MHz channel (allowed: ${allowed.join(', ')} MHz)`,
    })),
    channels: rows.map(describeRow),
  };
}
