// `wireless` as netifd-morse reads it: the Morse radio (`wifi-device`, type morse, band s1g,
// hwmode 11ah, country/channel/op_class from the regulatory row) and our one `wifi-iface`.
import type { HalowConfig } from '../config.js';
import type { RadioPlan } from '../plan/validate.js';
import { SECTION, type DesiredSection } from './types.js';

export function radioSection(config: HalowConfig, plan: RadioPlan): DesiredSection {
  return {
    config: 'wireless',
    name: config.device,
    type: 'wifi-device',
    options: {
      type: 'morse',
      band: 's1g',
      hwmode: '11ah',
      country: plan.countryCode,
      channel: String(plan.row.channel),
      op_class: String(plan.row.s1gOpClass),
      txpower: plan.txpower === undefined ? null : String(plan.txpower),
      disabled: config.enabled ? '0' : '1',
    },
  };
}

/** WPA3-SAE with PMF required: the only security a rendered interface ever carries. */
function securityOptions(config: HalowConfig): Record<string, string | string[] | null> {
  return {
    encryption: 'sae',
    key: config.sae_password,
    ieee80211w: '2',
    sae_pwe: String(config.sae_pwe),
    sae_group: config.sae_groups.map(String),
    hostapd_bss_options: config.mode === 'ap' || config.mode === 'easymesh' ? [`sae_anti_clogging_threshold=${config.sae_anti_clogging_threshold}`] : null,
  };
}

function modeOptions(config: HalowConfig, networkName: string): Record<string, string | string[] | null> {
  const none = { ssid: null, mesh_id: null, maxassoc: null, multi_ap: null, wds: null };
  switch (config.mode) {
    case 'ap':
      return { ...none, mode: 'ap', ssid: config.ssid, maxassoc: String(config.max_stations), network: networkName };
    case 'sta':
      return { ...none, mode: 'sta', ssid: config.ssid, network: networkName };
    case 'mesh':
      return { ...none, mode: 'mesh', mesh_id: config.mesh_id, network: networkName };
    case 'easymesh':
      // prplMesh runs the fronthaul/backhaul BSS: Multi-AP fronthaul + backhaul (3) with 4-address frames.
      return { ...none, mode: 'ap', ssid: config.ssid, maxassoc: String(config.max_stations), multi_ap: '3', wds: '1', network: networkName };
  }
}

export function interfaceSection(config: HalowConfig, networkName: string): DesiredSection {
  return {
    config: 'wireless',
    name: SECTION.iface,
    type: 'wifi-iface',
    options: { device: config.device, ifname: config.ifname, ...modeOptions(config, networkName), ...securityOptions(config), disabled: config.enabled ? '0' : '1' },
  };
}
