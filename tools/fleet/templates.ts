// OpenWISP templates (netjsonconfig OpenWrt backend) generated from the section schemas: one per
// service section and one with all of them. Secrets are variables only, their default empty (which
// netjsonconfig leaves out, so the gateway keeps its own value until the fleet sets one), and they
// go into the package smartgrid_secrets (root-only), never into the readable smartgrid.
import type { SectionSchema } from '../../src/lib/config/schema-types.js';
import type { NetJsonBlock } from './netjson.js';
import { FLEET_VARIABLES, type FleetVariable } from './variables.js';

export interface OpenWispTemplate {
  name: string;
  type: 'generic';
  backend: 'netjsonconfig.OpenWrt';
  default_values: Record<string, string>;
  config: { smartgrid: NetJsonBlock[]; smartgrid_secrets?: NetJsonBlock[] };
}

function variableDefault(variable: FleetVariable, schema: SectionSchema): string {
  const option = schema.properties[variable.option];
  if (!option) throw new Error(`variable ${variable.name}: smartgrid.${variable.section}.${variable.option} is not in the schema`);
  if (option['x-secret']) return '';
  const value = option.default;
  if (variable.format) return typeof value === 'string' ? value.replace(/^[a-z]+=/, '') : '';
  return value === undefined || value === null ? '' : String(value);
}

function isSecret(variable: FleetVariable, schemas: Readonly<Record<string, SectionSchema>>): boolean {
  return schemas[variable.section]?.properties[variable.option]?.['x-secret'] === true;
}

/** The section's block of the readable package (secret: false) or of smartgrid_secrets (true); undefined when empty. */
function sectionBlock(section: string, schemas: Readonly<Record<string, SectionSchema>>, secret: boolean): NetJsonBlock | undefined {
  const variables = FLEET_VARIABLES.filter((v) => v.section === section && isSecret(v, schemas) === secret);
  if (secret && variables.length === 0) return undefined;
  const block: NetJsonBlock = { config_name: section, config_value: section };
  for (const variable of variables) {
    const placeholder = `{{ ${variable.name} }}`;
    block[variable.option] = variable.format ? variable.format(placeholder) : placeholder;
  }
  return block;
}

function defaultsFor(sections: readonly string[], schemas: Readonly<Record<string, SectionSchema>>): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const variable of FLEET_VARIABLES.filter((v) => sections.includes(v.section))) {
    defaults[variable.name] = variableDefault(variable, schemas[variable.section]!);
  }
  return defaults;
}

function packagesFor(sections: readonly string[], schemas: Readonly<Record<string, SectionSchema>>): OpenWispTemplate['config'] {
  const readable = sections.map((section) => sectionBlock(section, schemas, false)!);
  const secrets = sections.flatMap((section) => sectionBlock(section, schemas, true) ?? []);
  return secrets.length ? { smartgrid: readable, smartgrid_secrets: secrets } : { smartgrid: readable };
}

export function templateFor(sections: readonly string[], schemas: Readonly<Record<string, SectionSchema>>, name: string): OpenWispTemplate {
  return {
    name, type: 'generic', backend: 'netjsonconfig.OpenWrt',
    default_values: defaultsFor(sections, schemas),
    config: packagesFor(sections, schemas),
  };
}

/** `smartgrid-<section>.json` for each schema section, and `smartgrid-all.json`. */
export function fleetTemplates(schemas: Readonly<Record<string, SectionSchema>>): Map<string, OpenWispTemplate> {
  const sections = Object.keys(schemas);
  const templates = new Map<string, OpenWispTemplate>();
  for (const section of sections) templates.set(`smartgrid-${section}.json`, templateFor([section], schemas, `smartgrid ${section}`));
  templates.set('smartgrid-all.json', templateFor(sections, schemas, 'smartgrid (all services)'));
  return templates;
}
