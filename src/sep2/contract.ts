// The one description of ubus `smartgrid.sep2`: method signatures (main.ts), reply shapes (service.ts
// builds them, the LuCI page reads them), the events and what the rpcd ACL grants (a test checks the ACL file).
import type { UbusArgType } from '../lib/ubus/types.js';
import type { CertificateSummary } from './tls/credentials.js';

export const SEP2_OBJECT = 'smartgrid.sep2';

/** Methods besides `status` and `reload` (which every service has). */
export const SEP2_METHODS = {
  clients: {},
} as const satisfies Record<string, Record<string, UbusArgType>>;

/** rpcd ACL of luci-app-smartgrid for this object. */
export const SEP2_ACL = { read: ['status', 'clients'], write: ['reload'] } as const;

/** `smartgrid.sep2.<what>` events. */
export const SEP2_EVENTS = {
  /** An unknown client registered itself (unknown_clients=register): `{ lfdi, sfdi }`. */
  clientRegistered: 'client_registered',
} as const;

export type Sep2Role = 'utility' | 'customer' | 'device' | 'unregistered';

export interface Sep2Client {
  lfdi: string;
  sfdi: number;
  role: Sep2Role;
  enabled: boolean;
  edev: string;
  /** Seconds since 1970, 0 when never seen. */
  last_seen: number;
  last_request: string;
  requests: number;
  errors: number;
}

export interface Sep2ClientsReply {
  clients: Sep2Client[];
}

export interface Sep2StatusReply {
  listening: boolean;
  address: string;
  port: number;
  ciphers: string[];
  certificate: CertificateSummary | Record<string, never>;
  clients_seen: number;
  clients_registered: number;
  requests: number;
  errors: number;
  tls_failures: number;
  last_error: string;
  usage_points: number;
  mirrors: number;
  local_broker: 'connected' | 'disconnected';
  time_quality: number;
  discovery: 'announced' | 'umdns-missing' | 'off' | 'failed';
  /** Five most recently seen clients, newest first. */
  recent: Sep2Client[];
}
