// `network`, `dhcp`, `firewall`, `mesh11sd` and `prplmesh` sections of each profile.
import type { HalowConfig } from '../config.js';
import { SECTION, type DesiredSection } from './types.js';

/** `10.42.0.1/24` -> address and dotted netmask. */
export function splitSubnet(subnet: string): { ipaddr: string; netmask: string } {
  const [ipaddr, bits] = subnet.split('/');
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { ipaddr: ipaddr!, netmask: [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join('.') };
}

function rule(name: string, options: Record<string, string | string[]>): DesiredSection {
  return { config: 'firewall', name, type: 'rule', options: { src: 'halow', target: 'ACCEPT', ...options } };
}

/** AP with its own subnet: static interface, DHCP, a locked-down zone that reaches DHCP, DNS and MQTT only. */
export function routedApSections(config: HalowConfig): DesiredSection[] {
  return [
    { config: 'network', name: SECTION.routed, type: 'interface', options: { proto: 'static', ...splitSubnet(config.subnet) } },
    { config: 'dhcp', name: SECTION.routed, type: 'dhcp', options: { interface: SECTION.routed, start: String(config.dhcp_start), limit: String(config.dhcp_limit), leasetime: '12h' } },
    { config: 'firewall', name: SECTION.zone, type: 'zone', options: { name: 'halow', network: [SECTION.routed], input: 'REJECT', output: 'ACCEPT', forward: 'REJECT' } },
    rule(SECTION.ruleDhcp, { name: 'Allow-HaLow-DHCP', proto: 'udp', dest_port: '67-68' }),
    rule(SECTION.ruleDns, { name: 'Allow-HaLow-DNS', proto: ['tcp', 'udp'], dest_port: '53' }),
    rule(SECTION.ruleMqtt, { name: 'Allow-HaLow-MQTT', proto: 'tcp', dest_port: String(config.mqtt_port) }),
  ];
}

/** Station uplink: a DHCP client interface in its own masqueraded zone, LAN forwarded to it. */
export function uplinkSections(): DesiredSection[] {
  return [
    { config: 'network', name: SECTION.uplink, type: 'interface', options: { proto: 'dhcp' } },
    { config: 'firewall', name: SECTION.zone, type: 'zone', options: { name: 'halowwan', network: [SECTION.uplink], input: 'REJECT', output: 'ACCEPT', forward: 'REJECT', masq: '1', mtu_fix: '1' } },
    { config: 'firewall', name: SECTION.forwarding, type: 'forwarding', options: { src: 'lan', dest: 'halowwan' } },
  ];
}

/** 802.11s parameters through mesh11sd (where netifd-morse reads them), optionally batman-adv on top. */
export function meshSections(config: HalowConfig): DesiredSection[] {
  const sections: DesiredSection[] = [{
    config: 'mesh11sd',
    name: SECTION.meshParams,
    type: 'mesh11sd',
    // With batman-adv on top, batman routes: 802.11s forwarding is off.
    options: { mesh_fwding: config.mesh_batman || !config.mesh_forwarding ? '0' : '1', mesh_ttl: String(config.mesh_ttl), mesh_rssi_threshold: String(config.mesh_rssi_threshold) },
  }];
  if (config.mesh_batman) {
    sections.push(
      { config: 'network', name: SECTION.batMesh, type: 'interface', options: { proto: 'batadv', routing_algo: 'BATMAN_IV' } },
      { config: 'network', name: SECTION.batHardif, type: 'interface', options: { proto: 'batadv_hardif', master: SECTION.batMesh } },
    );
  }
  return sections;
}

/** EasyMesh through prplMesh: controller + agent on the gateway, or agent only. */
export function easymeshSections(config: HalowConfig): DesiredSection[] {
  const controller = config.easymesh_role === 'controller';
  return [{
    config: 'prplmesh',
    name: SECTION.prplmesh,
    type: 'prplmesh',
    options: {
      enable: '1',
      management_mode: controller ? 'Multi-AP-Controller-and-Agent' : 'Multi-AP-Agent',
      operating_mode: controller ? 'Gateway' : 'WDS-Repeater',
      master: controller ? '1' : '0',
      gateway: controller ? '1' : '0',
    },
  }];
}
