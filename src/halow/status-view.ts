import type { ChannelsReply, DcuView, PlanView, StationView } from './contract.js';
import type { DcuState } from './presence/tracker.js';
import type { DcuWatch } from './presence/watch.js';
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

export function stationsView(watch: DcuWatch | undefined): StationView[] {
  if (!watch) return [];
  const names = new Map(watch.tracker.all().map((dcu) => [dcu.mac, dcu.name]));
  return watch.currentStations.map((station) => ({
    mac: station.mac, dcu: names.get(station.mac) ?? null, known: names.has(station.mac), associated: station.associated, authorized: station.authorized, pmf: station.mfp,
    aid: station.aid, signal: station.signal, rx_rate_kbps: station.rxRateKbps, tx_rate_kbps: station.txRateKbps,
    rx_bytes: station.rxBytes, tx_bytes: station.txBytes, rx_packets: station.rxPackets, tx_packets: station.txPackets,
    inactive_ms: watch.controlData(station.mac)?.inactiveMs ?? null, connected_s: watch.controlData(station.mac)?.connectedS ?? null,
  }));
}

export function dcuView(dcu: DcuState): DcuView {
  return {
    name: dcu.name, mac: dcu.mac, site: dcu.site, meters: dcu.meters, presence: dcu.presence, associated: dcu.associated,
    signal: dcu.signal, signal_class: dcu.signal_class, weak_signal: dcu.weak_alarm, last_heard: dcu.last_heard,
  };
}
