/** The `smartgrid.sep2` UCI section after coercion and defaults (see sep2.schema.json). */
export type ClientRole = 'utility' | 'customer' | 'device';

export interface Sep2Config {
  enabled: boolean;
  log_level: 'debug' | 'info' | 'notice' | 'warn' | 'error';
  listen_address: string;
  port: number;
  pen: number;
  poll_rate: number;
  post_rate: number;
  timezone: string;
  ntp_state_file: string;
  ntp_max_age: number;
  mdns: boolean;
  cert_file: string;
  key_file: string;
  ca_file: string;
  ciphers: string[];
  unknown_clients: 'reject' | 'register';
  client: string[];
  client_pin: string[];
  max_mirrors: number;
  max_body_bytes: number;
  broker_host: string;
  broker_port: number;
  broker_username: string;
  broker_password: string;
  reading_topic: string;
  mirror_topic: string;
}
