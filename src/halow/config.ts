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
  network: string;
  max_stations: number;
  station_timeout: number;
}
