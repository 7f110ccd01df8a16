// Checks an OpenWISP template with a set of variables the way a gateway would take it: variables
// evaluated as OpenWISP does, `/etc/config/smartgrid` rendered as netjsonconfig does, then every
// section validated by the daemons' own validation, with the messages the daemons log.
import { parseUciPackage } from '../../src/lib/uci/parser.js';
import type { SectionSchema } from '../../src/lib/config/schema-types.js';
import { validateSection } from '../../src/lib/config/validate.js';
import { evaluateVars, renderCustomPackages, variablesIn, type NetJsonConfig } from './netjson.js';

export interface TemplateCheck {
  ok: boolean;
  /** The rendered /etc/config/smartgrid ('' when the template has no smartgrid package). */
  uci: string;
  messages: string[];
}

export interface TemplateInput {
  config?: NetJsonConfig;
  default_values?: Record<string, string>;
}

function asTemplate(input: unknown): TemplateInput {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('a template is a JSON object with "config" (and "default_values")');
  const template = input as TemplateInput;
  if (!template.config || typeof template.config !== 'object') throw new Error('template has no "config" object');
  return template;
}

/** Variables as OpenWISP applies them: the template's defaults, overridden by the device/group ones. */
export function renderTemplate(input: unknown, variables: Readonly<Record<string, string>> = {}): { uci: string; unresolved: string[] } {
  const template = asTemplate(input);
  const context = { ...(template.default_values ?? {}), ...variables };
  const config = evaluateVars(template.config as NetJsonConfig, context);
  return { uci: renderCustomPackages(config).get('smartgrid') ?? '', unresolved: [...variablesIn(config)].sort() };
}

export function checkTemplate(input: unknown, variables: Readonly<Record<string, string>>, schemas: Readonly<Record<string, SectionSchema>>): TemplateCheck {
  const { uci, unresolved } = renderTemplate(input, variables);
  const messages = unresolved.map((name) => `variable {{ ${name} }} has no value (not in the template's default_values nor in the variables)`);
  const pkg = parseUciPackage(uci, 'smartgrid');
  for (const section of pkg.sections) {
    const schema = schemas[section.type];
    if (!schema) {
      messages.push(`smartgrid.${section.name}: unknown section type '${section.type}' (known: ${Object.keys(schemas).join(', ')})`);
      continue;
    }
    if (section.name !== section.type) messages.push(`smartgrid.${section.name}: the ${section.type} section must be named '${section.type}'`);
    const result = validateSection(schema, section.options);
    if (!result.ok) messages.push(...result.issues.map((issue) => issue.message));
  }
  return { ok: messages.length === 0, uci, messages };
}
