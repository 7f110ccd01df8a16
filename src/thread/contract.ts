// The one typed contract of ubus `smartgrid.thread`: method signatures (as published, checked by
// the ACL and the page), reply shapes and events. `status` and `reload` come with every service.
import type { UbusArgType } from '../lib/ubus/types.js';

export const THREAD_METHODS = {
  /** The last probe of the RCP and every serial port discovery found. */
  probe: {},
  /** Start over from a fresh probe (also after the recovery ladder gave up). */
  restart_radio: {},
  /** Routers, children and the border router's links; `refresh`: read them now (bounded wait) instead of the last result. */
  topology: { refresh: 'boolean' },
  /** The CoAP bridge: its sockets, the node map (learned and from UCI) and its counters (ThreadNodesReply). */
  nodes: {},
} satisfies Record<string, Record<string, UbusArgType>>;

export type ThreadMethod = keyof typeof THREAD_METHODS;

/** Methods that change something: only with the rpcd write ACL. */
export const THREAD_WRITE_METHODS: readonly ThreadMethod[] = ['restart_radio'];

/** Events, published as `smartgrid.thread.<name>`. */
export const THREAD_EVENTS = ['state', 'role', 'fault', 'recovered', 'rcp_replaced', 'topology', 'node_seen', 'node_lost'] as const;
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
  /**
   * `supervisor`: who runs otbr-agent, `smartgrid` (this service) or `netifd` (the `openthread` proto of
   * `interface`, whose `interface_up` is netifd's `up`). Under netifd `pid`/`last_exit*` stay empty, `starts`
   * is 0 (we never start it), `running` means REST answers; `dataset_note` says when the active dataset
   * differs from smartgrid.thread (not written: the interface's `dataset` owns it), empty when it matches.
   */
  otbr_agent: { supervisor: 'smartgrid' | 'netifd'; interface?: string; interface_up?: boolean; dataset_note?: string; pid?: number; running: boolean; starts: number; last_exit_code?: number; last_exit?: string };
  /** `child_count`: children in the whole network, from the last topology read (absent while it is not `ok`). */
  thread: { role: string; router_count?: number; child_count?: number; partition_id?: number; leader_router_id?: number; rloc16?: number; ext_address?: string; network_name?: string };
  /** `at`: Unix time in seconds. */
  faults: { at: number; kind: string; message: string; step?: string }[];
  counters: { faults: number; recoveries: number; dataset_writes: number; last_recovery_ms?: number };
}

export interface ThreadProbeReply {
  probe?: unknown;
  candidates: { device: string; by_id?: string; usb?: string; dongle?: string }[];
}

/** One meter's Thread node as the CoAP bridge knows it. Times are Unix seconds. */
export interface ThreadNodeView {
  meter: string;
  /** The node's IPv6 address it last sent from (or the one configured in UCI). */
  address?: string;
  /** 16 lowercase hex digits, when the node told it (binary frame, JSON/CBOR `eui64`) or UCI has it. */
  eui64?: string;
  region: string;
  dcu: string;
  source: 'learned' | 'uci';
  /** `active` while heard within the lost timeout, `lost` after it, `configured` before the first contact. */
  state: 'active' | 'lost' | 'configured';
  last_contact?: number;
  readings: number;
  rejected: number;
  duplicates: number;
}

export interface ThreadBridgeCounters {
  received: number;
  forwarded: number;
  rejected: number;
  bad_crc: number;
  duplicates: number;
  downlink_ok: number;
  downlink_timeout: number;
  downlink_unreachable: number;
}

export interface ThreadNodesReply {
  listening: { address: string; port: number }[];
  nodes: ThreadNodeView[];
  counters: ThreadBridgeCounters;
}

/** A Thread device in the topology; `last_coap_contact` joins it with the bridge's nodes by address. */
export interface ThreadTopologyNode {
  rloc16: string;
  ext_address: string;
  role: 'leader' | 'router' | 'child';
  router_id?: number;
  /** The router a child is attached to (rloc16). */
  parent?: string;
  /** A router's direct links to other routers (rloc16), from its route table: link quality both ways above 0. */
  links?: string[];
  addresses: string[];
  meter?: string;
  last_coap_contact?: number;
}

/** A link as the border router sees it: link quality 0-3, RSSI in dBm. */
export interface ThreadNeighbourView {
  rloc16: string;
  ext_address: string;
  role: 'router' | 'child';
  link_quality_in?: number;
  rssi_average?: number;
  rssi_last?: number;
  age_s?: number;
}

/** Why the topology is missing or old: `ok` when the last read succeeded and the radio still serves the network. */
export type ThreadTopologySource = 'ok' | 'not-read-yet' | 'disabled' | 'agent-down' | 'detached' | 'timeout' | 'error';

export interface ThreadTopologyReply {
  /** `ok`, or why the topology could not be read (agent down, not attached, diagnostics timed out). */
  source: ThreadTopologySource;
  /** What failed, in words (which interface, which error); absent when `source` is `ok`. */
  source_detail?: string;
  /** Unix seconds of the diagnostics the reply is built from. */
  updated_at?: number;
  routers: ThreadTopologyNode[];
  children: ThreadTopologyNode[];
  neighbours: ThreadNeighbourView[];
}
