// Who supervises otbr-agent: our own instance, or the `openthread` netifd proto when the admin set up an
// interface with `option proto 'openthread'` in /etc/config/network (netifd then starts the agent itself).
import { parseUciPackage } from '../../lib/uci/parser.js';
import type { UciValue } from '../../lib/uci/types.js';

export type SupervisorMode = 'auto' | 'smartgrid' | 'netifd';

/** One `config interface` with `option proto 'openthread'`, as the proto reads it. */
export interface OpenthreadInterface {
  name: string;
  radioUrl: string;
  device: string;
  backboneNetwork: string;
  /** Hex TLVs of the active dataset the proto sets on every ifup; empty when not given. */
  dataset: string;
  prefixes: string[];
}

export type SupervisorChoice = { supervisor: 'smartgrid' } | { supervisor: 'netifd'; iface: OpenthreadInterface };

export class SupervisorConfigError extends Error {}

function text(value: UciValue | undefined): string {
  return Array.isArray(value) ? value.join(' ') : value ?? '';
}

function list(value: UciValue | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

/** The openthread interfaces of a /etc/config/network text (file order). */
export function openthreadInterfaces(networkConfig: string): OpenthreadInterface[] {
  const pkg = parseUciPackage(networkConfig, 'network');
  return pkg.sections
    .filter((section) => section.type === 'interface' && text(section.options.get('proto')) === 'openthread')
    .map((section) => ({
      name: section.name,
      radioUrl: text(section.options.get('radio_url')),
      device: text(section.options.get('device')) || 'wpan0',
      backboneNetwork: text(section.options.get('backbone_network')),
      dataset: text(section.options.get('dataset')),
      prefixes: list(section.options.get('prefix')),
    }));
}

/**
 * The rule: `smartgrid` always runs our own otbr-agent; `netifd` needs exactly one openthread interface;
 * `auto` takes netifd when exactly one exists and ours when none. Two or more are never guessed between.
 */
export function chooseSupervisor(mode: SupervisorMode, interfaces: OpenthreadInterface[]): SupervisorChoice {
  if (mode === 'smartgrid') return { supervisor: 'smartgrid' };
  if (interfaces.length > 1) {
    const names = interfaces.map((i) => `network.${i.name}`).join(', ');
    throw new SupervisorConfigError(`smartgrid.thread.supervisor is '${mode}' but /etc/config/network has ${interfaces.length} interfaces with proto 'openthread' (${names}): keep one, or set smartgrid.thread.supervisor to 'smartgrid'`);
  }
  const [iface] = interfaces;
  if (iface) return { supervisor: 'netifd', iface };
  if (mode === 'netifd') throw new SupervisorConfigError(`smartgrid.thread.supervisor is 'netifd' but /etc/config/network has no interface with option proto 'openthread': add one, or set smartgrid.thread.supervisor to 'auto' or 'smartgrid'`);
  return { supervisor: 'smartgrid' };
}

/** The tty of a `spinel+hdlc+uart://` radio URL, or undefined for other schemes. */
export function radioUrlDevice(radioUrl: string): string | undefined {
  return /^spinel\+hdlc\+uart:\/\/([^?]+)/.exec(radioUrl)?.[1];
}

/** What `ubus call network.interface.<name> status` says, reduced to what supervision needs. */
export interface InterfaceStatus {
  up: boolean;
  pending: boolean;
  available: boolean;
  /** `errors[].code` as netifd reports them (e.g. `NO_DEVICE`). */
  errors: string[];
}

/** `ubus call network.interface.<name> up|down|status`: the only way we act on netifd's agent. */
export interface NetifdControl {
  status(): Promise<InterfaceStatus>;
  up(): Promise<void>;
  down(): Promise<void>;
}

interface UbusCaller {
  call(path: string, method: string, args?: Record<string, never>): Promise<Record<string, unknown>>;
}

export function netifdControl(ubus: UbusCaller, name: string): NetifdControl {
  const path = `network.interface.${name}`;
  return {
    async status() {
      const reply = await ubus.call(path, 'status');
      const errors = Array.isArray(reply.errors) ? reply.errors.map((e) => String((e as { code?: unknown }).code ?? e)) : [];
      return { up: reply.up === true, pending: reply.pending === true, available: reply.available !== false, errors };
    },
    async up() { await ubus.call(path, 'up'); },
    async down() { await ubus.call(path, 'down'); },
  };
}
