// The one typed contract of ubus `smartgrid.thread`: method signatures (as published, checked by
// the ACL and the page), reply shapes and events. `status` and `reload` come with every service.
import type { UbusArgType } from '../lib/ubus/types.js';

export const THREAD_METHODS = {
  /** The last probe of the RCP and every serial port discovery found. */
  probe: {},
  /** Start over from a fresh probe (also after the recovery ladder gave up). */
  restart_radio: {},
} satisfies Record<string, Record<string, UbusArgType>>;

export type ThreadMethod = keyof typeof THREAD_METHODS;

/** Methods that change something: only with the rpcd write ACL. */
export const THREAD_WRITE_METHODS: readonly ThreadMethod[] = ['restart_radio'];

/** Events, published as `smartgrid.thread.<name>`. */
export const THREAD_EVENTS = ['state', 'role', 'fault', 'recovered', 'rcp_replaced'] as const;
export type ThreadEvent = (typeof THREAD_EVENTS)[number];

export interface RcpStatusView {
  /** `ok` while the network is served on it; else the probe cause or the radio state (read by the fleet collector). */
  health: string;
  path?: string;
  device?: string;
  selected_because: string;
  usb_serial?: string;
  hwaddr?: string;
  firmware?: string;
  protocol?: string;
  rcp_api_version?: number;
  min_host_api_version?: number;
  baud?: number;
  probe: string;
  probe_message: string;
}

/** Merged into the daemon's status (which has `state` = the daemon's own). */
export interface ThreadStatusReply {
  radio_state: string;
  radio_cause: string;
  rcp: RcpStatusView;
  otbr_agent: { pid?: number; running: boolean; starts: number; last_exit_code?: number; last_exit?: string };
  thread: { role: string; router_count?: number; partition_id?: number; leader_router_id?: number; rloc16?: number; ext_address?: string; network_name?: string };
  /** `at`: Unix time in seconds. */
  faults: { at: number; kind: string; message: string; step?: string }[];
  counters: { faults: number; recoveries: number; dataset_writes: number; last_recovery_ms?: number };
}

export interface ThreadProbeReply {
  probe?: unknown;
  candidates: { device: string; by_id?: string; usb?: string; dongle?: string }[];
}
