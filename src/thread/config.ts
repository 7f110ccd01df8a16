import type { ThreadDataset } from './otbr/dataset.js';

/** The `smartgrid.thread` UCI section after schema coercion and defaults (see thread.schema.json). */
export interface ThreadConfig {
  enabled: boolean;
  log_level: 'debug' | 'info' | 'notice' | 'warn' | 'error';
  radio_url: string;
  device: string;
  baudrate: number;
  channel: number;
  panid: string;
  extpanid: string;
  network_name: string;
  network_key: string;
  pskc: string;
  mesh_local_prefix: string;
  pending_delay: number;
  supervisor: 'auto' | 'smartgrid' | 'netifd';
  otbr_agent: string;
  ot_ctl: string;
  topology_interval: number;
  thread_if: string;
  infra_if: string;
  rest_port: number;
  state_file: string;
  coap_enabled: boolean;
  coap_listen: string[];
  coap_port: number;
  coap_resource: string;
  coap_max_payload: number;
  node_rate: number;
  node_burst: number;
  learn_nodes: boolean;
  node_limit: number;
  node_lost_after: number;
  nodes: string[];
  region: string;
  dcu: string;
  mqtt_host: string;
  mqtt_port: number;
  mqtt_puback_timeout: number;
  telemetry_topic: string;
  command_topic: string;
  command_reply_topic: string;
  node_port: number;
  command_method: 'POST' | 'PUT';
  command_path: string;
  command_retries: number;
  command_timeout: number;
}

/** The Thread network UCI describes; empty secrets/prefix leave otbr-agent's own values alone. */
export function datasetFromConfig(config: ThreadConfig): ThreadDataset {
  return {
    networkName: config.network_name,
    panId: parseInt(config.panid, 16),
    extPanId: config.extpanid,
    channel: config.channel,
    networkKey: config.network_key || undefined,
    pskc: config.pskc || undefined,
    meshLocalPrefix: config.mesh_local_prefix || undefined,
  };
}

/** `radio_url` given: its device and baud are probed instead of discovering the dongle. */
export function radioTarget(config: ThreadConfig): { device: string; baud: number } {
  const match = /^spinel\+hdlc\+uart:\/\/([^?]+)(?:\?(.*))?$/.exec(config.radio_url);
  if (!match) return { device: config.device, baud: config.baudrate };
  const baud = Number(new URLSearchParams(match[2] ?? '').get('uart-baudrate') ?? config.baudrate);
  return { device: match[1]!, baud };
}
