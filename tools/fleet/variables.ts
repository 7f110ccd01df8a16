// The options a fleet sets per site or per group, as OpenWISP template variables. Everything else
// stays at the package default on the gateway (a template that repeats defaults would fight every
// default a later package version ships).

export type VariableScope = 'device' | 'group';

export interface FleetVariable {
  /** The `{{ name }}` in the template. */
  name: string;
  section: string;
  option: string;
  scope: VariableScope;
  /** How the option's value is built from the variable (default: the variable alone). */
  format?: (variable: string) => string;
  /** A realistic value for one site, used by the checks and the docs. */
  example: string;
}

export const FLEET_VARIABLES: readonly FleetVariable[] = [
  { name: 'tb_host', section: 'telemetry', option: 'upstream_host', scope: 'group', example: 'tb.utility.example' },
  { name: 'tb_port', section: 'telemetry', option: 'upstream_port', scope: 'group', example: '8883' },
  { name: 'tb_token', section: 'telemetry', option: 'upstream_access_token', scope: 'device', example: 'A1b2C3d4E5f6G7h8I9j0' },
  { name: 'site_id', section: 'telemetry', option: 'upstream_client_id', scope: 'device', example: 'gw-site-0042' },
  { name: 'apn', section: 'lte', option: 'connect_settings', scope: 'group', format: (v) => `apn=${v}`, example: 'iot.carrier.example' },
  { name: 'halow_country', section: 'halow', option: 'region', scope: 'group', example: 'US' },
  { name: 'halow_channel', section: 'halow', option: 'channel', scope: 'device', example: '28' },
  { name: 'halow_sae_password', section: 'halow', option: 'sae_password', scope: 'device', example: 'dcu-join-Secret-42' },
  { name: 'thread_channel', section: 'thread', option: 'channel', scope: 'device', example: '20' },
  { name: 'thread_network_key', section: 'thread', option: 'network_key', scope: 'device', example: '00112233445566778899aabbccddeeff' },
  { name: 'region', section: 'thread', option: 'region', scope: 'group', example: 'north' },
  { name: 'sep2_port', section: 'sep2', option: 'port', scope: 'group', example: '8443' },
  { name: 'sep2_pen', section: 'sep2', option: 'pen', scope: 'group', example: '40732' },
  { name: 'sep2_unknown_clients', section: 'sep2', option: 'unknown_clients', scope: 'group', example: 'register' },
];
