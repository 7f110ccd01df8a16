import type { HalowConfig } from '../config.js';
import type { RadioPlan } from '../plan/validate.js';
import { easymeshSections, meshSections, routedApSections, uplinkSections } from './network.js';
import { SECTION, type DesiredSection, type RenderedProfile, type RetiredSection } from './types.js';
import { interfaceSection, radioSection } from './wireless.js';

/** Every section any profile may create; those the current one does not render are retired. */
const OWNED: readonly RetiredSection[] = [
  { config: 'network', name: SECTION.routed },
  { config: 'dhcp', name: SECTION.routed },
  { config: 'network', name: SECTION.uplink },
  { config: 'network', name: SECTION.batMesh },
  { config: 'network', name: SECTION.batHardif },
  { config: 'firewall', name: SECTION.zone },
  { config: 'firewall', name: SECTION.forwarding },
  { config: 'firewall', name: SECTION.ruleDhcp },
  { config: 'firewall', name: SECTION.ruleDns },
  { config: 'firewall', name: SECTION.ruleMqtt },
  { config: 'mesh11sd', name: SECTION.meshParams },
  { config: 'prplmesh', name: SECTION.prplmesh },
];

function networkOf(config: HalowConfig): { attach: string; sections: DesiredSection[] } {
  switch (config.mode) {
    case 'ap':
      return config.network_mode === 'routed' ? { attach: SECTION.routed, sections: routedApSections(config) } : { attach: config.network, sections: [] };
    case 'sta':
      return { attach: SECTION.uplink, sections: uplinkSections() };
    case 'mesh':
      return { attach: config.mesh_batman ? SECTION.batHardif : config.network, sections: meshSections(config) };
    case 'easymesh':
      return { attach: config.network, sections: easymeshSections(config) };
  }
}

/** The UCI sections the configured profile consists of, from a plan the regulatory table allows. */
export function renderProfile(config: HalowConfig, plan: RadioPlan): RenderedProfile {
  const network = networkOf(config);
  const sections = [radioSection(config, plan), interfaceSection(config, network.attach), ...network.sections];
  const rendered = new Set(sections.map((section) => `${section.config}.${section.name}`));
  return { sections, retired: OWNED.filter((owned) => !rendered.has(`${owned.config}.${owned.name}`)) };
}
