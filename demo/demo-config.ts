import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from '../tools/feed/catalog.js';
import { defaultSections, renderUciCommit, type UciSection } from '../tools/feed/uci-render.js';
import { SECTION_SCHEMAS } from '../src/lib/config/schemas/index.js';

export interface DemoPorts {
  localBroker: number;
  upstreamBroker: number;
}

export interface DemoUsers {
  root: string;
  viewer: string;
}

/** Settings that point the real services at the simulated hardware; everything else stays default. */
export function demoOverrides(dir: string, ports: DemoPorts): Record<string, [string, string | string[]][]> {
  return {
    telemetry: [
      ['broker_port', String(ports.localBroker)], ['upstream_host', '127.0.0.1'], ['upstream_port', String(ports.upstreamBroker)],
      ['upstream_tls', '0'], ['upstream_access_token', 'demo-gateway-token'], ['queue_dir', join(dir, 'telemetry-queue')],
      ['queue_max_mb', '64'], ['rule_range', ['voltage_l1_v=200:260', 'power_kw=0:30']], ['zscore_keys', ['power_kw']],
    ],
    lte: [
      ['mmcli_timeout', '3'], ['poll_interval', '2'], ['signal_rate', '10'], ['device', 'wwan0'],
      ['probe_targets', ['192.0.2.53', '198.51.100.7']], ['probe_interval', '2'], ['probe_timeout', '1000'], ['probe_down', '2'], ['probe_up', '1'],
      ['failure_grace', '4'], ['route_poll_interval', '1000'],
      ['quota_mb', '500'], ['usage_save_interval', '10'],
      // The demo's netifd is simulated (no eth1/wwan0 to probe through or route over): default routes only.
      ['uplink_control', 'off'],
      ['ladder_step', ['reconnect:settle=4,spacing=6', 'interface_restart:settle=4,spacing=8', 'modem_reset:settle=5,spacing=10', 'mm_restart:settle=5,spacing=12']],
    ],
  };
}

/**
 * `/etc/config/smartgrid` of the demo: the package defaults plus the overrides, as `uci commit` writes
 * it; the secret overrides go to `/etc/config/smartgrid_secrets` (mode 0600, every section present).
 */
export function writeDemoConfig(configDir: string, overrides: Record<string, [string, string | string[]][]>): string {
  mkdirSync(configDir, { recursive: true });
  const schemas = new Map(Object.entries(SECTION_SCHEMAS));
  const isSecret = (section: string, option: string) => Boolean(SECTION_SCHEMAS[section]?.properties[option]?.['x-secret']);
  const defaults = defaultSections(SERVICES, schemas);
  const sections: UciSection[] = defaults.map((section) => ({
    ...section, options: [...section.options, ...(overrides[section.name] ?? []).filter(([option]) => !isSecret(section.name, option))],
  }));
  const secrets: UciSection[] = defaults.map((section) => ({
    ...section, options: (overrides[section.name] ?? []).filter(([option]) => isSecret(section.name, option)),
  }));
  const path = join(configDir, 'smartgrid');
  writeFileSync(path, renderUciCommit(sections));
  writeFileSync(join(configDir, 'smartgrid_secrets'), renderUciCommit(secrets), { mode: 0o600 });
  return path;
}

/** rpcd's users: root (full access) and a read-only `viewer`, as `config login` sections. */
export function writeRpcdUsers(configDir: string, users: DemoUsers): string {
  const path = join(configDir, 'rpcd');
  writeFileSync(path, renderUciCommit([
    { type: 'login', name: 'root_login', options: [['username', 'root'], ['password', users.root], ['read', ['*']], ['write', ['*']]] },
    { type: 'login', name: 'viewer_login', options: [['username', 'viewer'], ['password', users.viewer], ['read', ['unauthenticated', 'luci-base', 'luci-app-smartgrid']], ['write', []]] },
  ]));
  return path;
}

/** ACL of the demo-only `smartgrid.sim` object (root gets it through `*`; the viewer does not). */
export function writeDemoAcl(aclDir: string): void {
  mkdirSync(aclDir, { recursive: true });
  writeFileSync(join(aclDir, 'smartgrid-demo.json'), JSON.stringify({
    'smartgrid-demo': {
      description: 'Demo only: trigger simulated modem, uplink and Thread radio faults',
      read: { ubus: { 'smartgrid.sim': ['status'] } },
      write: { ubus: { 'smartgrid.sim': ['modem_fault', 'wan', 'thread_fault'] } },
    },
  }, null, '\t'));
}
