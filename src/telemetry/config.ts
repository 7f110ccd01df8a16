/** The `smartgrid.telemetry` UCI section after coercion and defaults (see telemetry.schema.json). */
export type TelemetryMode = 'normal' | 'data-saving' | 'critical-only';
export const TELEMETRY_MODES: readonly TelemetryMode[] = ['normal', 'data-saving', 'critical-only'];

export interface TelemetryConfig {
  enabled: boolean;
  log_level: 'debug' | 'info' | 'notice' | 'warn' | 'error';
  mode: TelemetryMode;
  broker_host: string;
  broker_port: number;
  broker_username: string;
  broker_password: string;
  broker_client_id: string;
  topic_pattern: string[];
  dead_letter_topic: string;
  max_payload_bytes: number;
  upstream_host: string;
  upstream_port: number;
  upstream_tls: boolean;
  upstream_tls_verify: boolean;
  upstream_ca_file: string;
  upstream_cert_file: string;
  upstream_key_file: string;
  upstream_access_token: string;
  upstream_client_id: string;
  upstream_keepalive: number;
  backoff_initial_ms: number;
  backoff_max_ms: number;
  batch_max_bytes: number;
  batch_max_readings: number;
  batch_interval_ms: number;
  max_inflight: number;
  data_saving_interval: number;
  data_saving_drop_unchanged: boolean;
  queue_dir: string;
  queue_max_mb: number;
  queue_max_age: number;
  queue_fsync_interval_ms: number;
  obis_map: string[];
  dedup_window: number;
  dedup_max_meters: number;
  rule_range: string[];
  rule_rate: string[];
  zscore_keys: string[];
  zscore_window: number;
  zscore_threshold: number;
  rpc_timeout_ms: number;
  command_topic: string;
  command_reply_topic: string;
}

/** Defaults straight from the schema, so tests and tools build configs the daemon would accept. */
export function defaultTelemetryConfig(schema: { properties: Record<string, { default?: unknown }> }): TelemetryConfig {
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties)) out[key] = structuredClone(property.default);
  return out as unknown as TelemetryConfig;
}
