// Checks an OpenWISP template with a set of variables the way a gateway would take it: variables
// evaluated as OpenWISP does, `/etc/config/smartgrid` and `/etc/config/smartgrid_secrets` rendered as
// netjsonconfig does, then every section (its secrets merged in, as the daemons read them) validated
// by the daemons' own validation, with the messages the daemons log.
import { parseUciPackage } from '../../src/lib/uci/parser.js';
import type { UciSection } from '../../src/lib/uci/types.js';
import { secretOptions, type SectionSchema } from '../../src/lib/config/schema-types.js';
import { validateSection } from '../../src/lib/config/validate.js';
import { evaluateVars, renderCustomPackages, variablesIn, type NetJsonConfig } from './netjson.js';

export const READABLE_PACKAGE = 'smartgrid';
export const SECRETS_PACKAGE = 'smartgrid_secrets';

export interface TemplateCheck {
  ok: boolean;
  /** The rendered /etc/config/smartgrid ('' when the template has no smartgrid package). */
  uci: string;
  /** The rendered /etc/config/smartgrid_secrets ('' when the template sets no secret). */
  secretsUci: string;
  messages: string[];
}

export interface TemplateInput {
  config?: NetJsonConfig;
  default_values?: Record<string, string>;
}

export interface RenderedTemplate {
  uci: string;
  secretsUci: string;
  unresolved: string[];
}

function asTemplate(input: unknown): TemplateInput {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('a template is a JSON object with "config" (and "default_values")');
  const template = input as TemplateInput;
  if (!template.config || typeof template.config !== 'object') throw new Error('template has no "config" object');
  return template;
}

/** Variables as OpenWISP applies them: the template's defaults, overridden by the device/group ones. */
export function renderTemplate(input: unknown, variables: Readonly<Record<string, string>> = {}): RenderedTemplate {
  const template = asTemplate(input);
  const context = { ...(template.default_values ?? {}), ...variables };
  const config = evaluateVars(template.config as NetJsonConfig, context);
  const files = renderCustomPackages(config);
  return { uci: files.get(READABLE_PACKAGE) ?? '', secretsUci: files.get(SECRETS_PACKAGE) ?? '', unresolved: [...variablesIn(config)].sort() };
}

/** Secrets only in smartgrid_secrets, and nothing else there: what the daemons insist on (or warn about). */
function placementMessages(section: UciSection, schema: SectionSchema, pkg: string): string[] {
  const secrets = new Set(secretOptions(schema));
  const wrong = [...section.options.keys()].filter((option) => secrets.has(option) !== (pkg === SECRETS_PACKAGE));
  return wrong.map((option) => (pkg === SECRETS_PACKAGE
    ? `${SECRETS_PACKAGE}.${section.name}.${option}: not a secret option; it belongs in ${READABLE_PACKAGE}`
    : `${READABLE_PACKAGE}.${section.name}.${option}: a secret in the readable package; put it in ${SECRETS_PACKAGE}`));
}

function sectionMessages(pkg: string, section: UciSection, schemas: Readonly<Record<string, SectionSchema>>): string[] {
  const schema = schemas[section.type];
  if (!schema) return [`${pkg}.${section.name}: unknown section type '${section.type}' (known: ${Object.keys(schemas).join(', ')})`];
  const messages = placementMessages(section, schema, pkg);
  if (section.name !== section.type) messages.push(`${pkg}.${section.name}: the ${section.type} section must be named '${section.type}'`);
  return messages;
}

export function checkTemplate(input: unknown, variables: Readonly<Record<string, string>>, schemas: Readonly<Record<string, SectionSchema>>): TemplateCheck {
  const { uci, secretsUci, unresolved } = renderTemplate(input, variables);
  const messages = unresolved.map((name) => `variable {{ ${name} }} has no value (not in the template's default_values nor in the variables)`);
  const readable = parseUciPackage(uci, READABLE_PACKAGE);
  const secrets = parseUciPackage(secretsUci, SECRETS_PACKAGE);
  for (const section of readable.sections) messages.push(...sectionMessages(READABLE_PACKAGE, section, schemas));
  for (const section of secrets.sections) messages.push(...sectionMessages(SECRETS_PACKAGE, section, schemas));
  const names = new Set([...readable.sections, ...secrets.sections].filter((s) => schemas[s.type]).map((s) => s.name));
  for (const name of names) {
    const parts = [readable, secrets].flatMap((pkg) => pkg.sections.filter((s) => s.name === name));
    const result = validateSection(schemas[parts[0]!.type]!, new Map(parts.flatMap((s) => [...s.options])));
    if (!result.ok) messages.push(...result.issues.map((issue) => issue.message));
  }
  return { ok: messages.length === 0, uci, secretsUci, messages };
}
