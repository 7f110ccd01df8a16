import type { UciValue } from '../../lib/uci/types.js';

/** The UCI configs a profile renders into. */
export const RENDERED_CONFIGS = ['wireless', 'network', 'dhcp', 'firewall', 'mesh11sd', 'prplmesh'] as const;
export type RenderedConfig = (typeof RENDERED_CONFIGS)[number];

/**
 * One section as the profile wants it. Only the options listed are ours: a value sets it, `null`
 * removes it; every other option of the section stays as the admin set it.
 */
export interface DesiredSection {
  config: RenderedConfig;
  name: string;
  type: string;
  options: Record<string, UciValue | null>;
}

/** Sections of ours the current profile does not use: removed when they exist. */
export interface RetiredSection {
  config: RenderedConfig;
  name: string;
}

export interface RenderedProfile {
  sections: DesiredSection[];
  retired: RetiredSection[];
}

/** Names of the sections smartgrid-halow owns; every other section is the admin's. */
export const SECTION = {
  iface: 'smartgrid_halow',
  /** `network` + `dhcp` interface of the routed AP subnet. */
  routed: 'halow',
  /** `network` interface of the station uplink. */
  uplink: 'halowwan',
  /** batman-adv mesh interface and the HaLow hard interface under it. */
  batMesh: 'bat0',
  batHardif: 'halowmesh',
  zone: 'smartgrid_halow',
  forwarding: 'smartgrid_halow_fwd',
  ruleDhcp: 'smartgrid_halow_dhcp',
  ruleDns: 'smartgrid_halow_dns',
  ruleMqtt: 'smartgrid_halow_mqtt',
  meshParams: 'mesh_params',
  prplmesh: 'config',
} as const;
