// The one contract of ubus `smartgrid.halow`: method names, argument types, and which ACL half
// (read or write) grants each. main.ts publishes from it, the page calls by it, and a test holds
// the LuCI ACL file against it.
import type { UbusArgType } from '../lib/ubus/types.js';
import type { ApplyResult } from './apply/applier.js';
import type { ChannelOption } from './plan/channels.js';

export const HALOW_OBJECT = 'smartgrid.halow';

/** Methods besides `status` and `reload` (which every smartgrid service publishes). */
export const HALOW_METHODS = {
  channels: { country: 'string' },
  stations: {},
  dcus: {},
  plan: { dry_run: 'boolean' },
  /** `rollback`: seconds to wait for `confirm` before the previous configs are restored (0: none). */
  apply: { rollback: 'int32' },
  confirm: {},
} as const satisfies Record<string, Record<string, UbusArgType>>;

export type HalowMethod = keyof typeof HALOW_METHODS | 'status' | 'reload';

export const HALOW_ACL: Readonly<Record<'read' | 'write', readonly HalowMethod[]>> = {
  read: ['status', 'channels', 'stations', 'dcus'],
  // `plan` is a write: without dry_run it applies.
  write: ['reload', 'plan', 'apply', 'confirm'],
};

/** A plan the regulatory table allows, as status and the page show it. */
export interface PlanView {
  country: string;
  country_code: string;
  channel: number;
  bandwidth: number;
  centre_mhz: number;
  shim_channel: number | null;
  s1g_op_class: number;
  global_op_class: number;
  eirp_dbm: number;
  eirp_max_dbm: number;
  txpower_dbm: number | null;
  duty_cycle_ap: number;
  duty_cycle_sta: number;
}

export interface PlanIssueView {
  option: string;
  message: string;
}

export interface RegdbView {
  source: string;
  countries: number;
  mismatches: number;
}

/** Reply of `status` (besides the daemon's own `service`, `state`, `uptime`...). */
export interface HalowStatusReply {
  enabled: boolean;
  mode: string;
  regdb: RegdbView;
  plan: PlanView | null;
  /** Everything that keeps the profile from being rendered (radio plan and security). */
  plan_issues: PlanIssueView[];
  last_apply: ApplyResult | null;
  /** An `apply {rollback}` is waiting for `confirm`. */
  awaiting_confirm: boolean;
  bss: { ifname: string; hostapd: boolean; control_socket: boolean; stations: number };
  presence: (Record<'present' | 'late' | 'missing' | 'never-seen' | 'unknown' | 'weak', number> & { broker: boolean }) | null;
  inventory_error: string | null;
}

/** One station of `stations` (from hostapd's get_clients). */
export interface StationView {
  mac: string;
  dcu: string | null;
  known: boolean;
  associated: boolean;
  authorized: boolean;
  pmf: boolean;
  aid: number;
  signal: number | null;
  rx_rate_kbps: number;
  tx_rate_kbps: number;
  rx_bytes: number;
  tx_bytes: number;
  rx_packets: number;
  tx_packets: number;
  /** From hostapd's control socket, when it answers. */
  inactive_ms: number | null;
  connected_s: number | null;
}

/** One DCU of `dcus`. */
export interface DcuView {
  name: string;
  mac: string;
  site: string;
  meters: number;
  presence: 'present' | 'late' | 'missing' | 'never-seen';
  associated: boolean;
  signal: number | null;
  signal_class: 'good' | 'fair' | 'weak' | null;
  weak_signal: boolean;
  last_heard: number | null;
}

/** Reply of `plan {dry_run}` and `apply`. */
export interface PlanReply {
  ok: boolean;
  dry_run: boolean;
  plan: PlanView | null;
  issues: PlanIssueView[];
  /** The exact UCI changes (`wireless.radio1.channel: '12' -> '28'`); secrets shown as '***'. */
  changes: string[];
  apply: ApplyResult | null;
}

/** Reply of `channels {country}`. */
export interface ChannelsReply {
  country: string;
  country_name: string;
  default_channel: number | null;
  bandwidths: number[];
  /** Widths the radio knows that the country does not allow, and why. */
  refused_bandwidths: Array<{ bandwidth: number; reason: string }>;
  channels: ChannelOption[];
}
