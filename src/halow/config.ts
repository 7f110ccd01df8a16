import type { RadioOptions } from './plan/validate.js';

/** The `smartgrid.halow` UCI section after schema coercion and defaults (see halow.schema.json). */
export interface HalowConfig extends RadioOptions {
  enabled: boolean;
  log_level: 'debug' | 'info' | 'notice' | 'warn' | 'error';
  mode: 'ap' | 'sta' | 'mesh' | 'easymesh';
  regdb_path: string;
  device: string;
  ssid: string;
  sae_password: string;
  mesh_id: string;
  encryption: string;
  ieee80211w: number;
  sae_pwe: number;
  sae_groups: number[];
  sae_anti_clogging_threshold: number;
  network: string;
  network_mode: 'bridge' | 'routed';
  subnet: string;
  dhcp_start: number;
  dhcp_limit: number;
  mqtt_port: number;
  mesh_forwarding: boolean;
  mesh_ttl: number;
  mesh_rssi_threshold: number;
  mesh_batman: boolean;
  easymesh_role: 'controller' | 'agent';
  auto_apply: boolean;
  apply_delay: number;
  max_stations: number;
  ifname: string;
  hostapd_cli: string;
  hostapd_ctrl_dir: string;
  dcus: string[];
  presence_interval: number;
  missing_intervals: number;
  signal_warn: number;
  signal_good: number;
  mqtt_host: string;
  telemetry_topic: string;
}
