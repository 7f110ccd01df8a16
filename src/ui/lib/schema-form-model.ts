import type { OptionSchema, SectionSchema } from '../../lib/config/schema-types.js';
import type { ConfigIssue } from '../../lib/config/types.js';
import type { UciValue } from '../../lib/uci/types.js';

export type FieldKind = 'boolean' | 'enum' | 'number' | 'text' | 'list' | 'secret';

export interface FieldModel {
  name: string;
  option: OptionSchema;
  group: string;
  kind: FieldKind;
}

/** What a form field holds: checkbox state, or the text typed (lists one item per line). */
export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;

/** Validates raw UCI values against the schema and returns the daemon's issues (empty when valid). */
export type SectionValidator = (schema: SectionSchema, raw: ReadonlyMap<string, UciValue>) => ConfigIssue[];

export function fieldKind(option: OptionSchema): FieldKind {
  if (option['x-secret']) return 'secret';
  if (option.type === 'boolean') return 'boolean';
  if (option.type === 'array') return 'list';
  if (option.enum) return 'enum';
  if (option.type === 'integer' || option.type === 'number') return 'number';
  return 'text';
}

export function fieldsOf(schema: SectionSchema, defaultGroup = 'General'): FieldModel[] {
  return Object.entries(schema.properties).map(([name, option]) => ({ name, option, group: option['x-group'] ?? defaultGroup, kind: fieldKind(option) }));
}

/** Groups in first-seen order (the schema's order is the form's order). */
export function groupsOf(fields: FieldModel[]): string[] {
  return [...new Set(fields.map((field) => field.group))];
}

function truthy(value: unknown): boolean {
  return ['1', 'true', 'yes', 'on', 'enabled'].includes(String(value).trim().toLowerCase());
}

/** The form's initial state from `uci get` of the section: UCI value, else the schema default. Secrets start empty. */
export function initialValues(schema: SectionSchema, section: Record<string, unknown> | undefined): FormValues {
  const values: FormValues = {};
  for (const field of fieldsOf(schema)) {
    const stored = section?.[field.name];
    const fallback = field.option.default;
    switch (field.kind) {
      case 'secret': values[field.name] = ''; break;
      case 'boolean': values[field.name] = stored === undefined ? Boolean(fallback) : truthy(stored); break;
      case 'list': {
        const items = stored === undefined ? (Array.isArray(fallback) ? fallback : []) : Array.isArray(stored) ? stored : [stored];
        values[field.name] = items.map(String).join('\n');
        break;
      }
      default: values[field.name] = stored === undefined ? (fallback === undefined ? '' : String(fallback)) : String(stored);
    }
  }
  return values;
}

/**
 * The form as UCI values, as they would be written. An empty text field means "not set"
 * (the default applies); an untouched secret keeps its stored value.
 */
export function toUci(schema: SectionSchema, form: FormValues, stored: Record<string, unknown> | undefined): Map<string, UciValue> {
  const raw = new Map<string, UciValue>();
  for (const field of fieldsOf(schema)) {
    const value = form[field.name];
    if (field.kind === 'boolean') { raw.set(field.name, value ? '1' : '0'); continue; }
    if (field.kind === 'list') {
      const items = String(value ?? '').split('\n').map((item) => item.trim()).filter((item) => item !== '');
      if (items.length) raw.set(field.name, items);
      continue;
    }
    if (field.kind === 'secret' && value === '') {
      const kept = stored?.[field.name];
      if (typeof kept === 'string' && kept !== '') raw.set(field.name, kept);
      continue;
    }
    const textValue = String(value ?? '').trim();
    if (textValue !== '') raw.set(field.name, textValue);
  }
  return raw;
}

export interface UciChanges {
  /** `uci set` values (lists as arrays). */
  set: Record<string, UciValue>;
  /** Options to `uci delete`. */
  remove: string[];
}

function sameValue(a: unknown, b: UciValue | undefined): boolean {
  if (Array.isArray(b)) return Array.isArray(a) ? a.length === b.length && a.every((item, index) => String(item) === b[index]) : false;
  return !Array.isArray(a) && a !== undefined && b !== undefined && String(a) === b;
}

/** Only what changed against the stored section: so an unchanged form stages nothing. */
export function diffSection(schema: SectionSchema, stored: Record<string, unknown> | undefined, next: Map<string, UciValue>): UciChanges {
  const changes: UciChanges = { set: {}, remove: [] };
  for (const name of Object.keys(schema.properties)) {
    const before = stored?.[name];
    const after = next.get(name);
    if (after === undefined) {
      if (before !== undefined && before !== '') changes.remove.push(name);
    } else if (!sameValue(before, after)) {
      changes.set[name] = after;
    }
  }
  return changes;
}

/**
 * Secret options go to the write-only `smartgrid_secrets` config, never to `smartgrid`: the set ones
 * leave `changes`; removing a secret from `smartgrid` (where old installs kept it) stays.
 */
export function splitSecretChanges(schema: SectionSchema, changes: UciChanges): { config: UciChanges; secrets: Record<string, UciValue> } {
  const secrets: Record<string, UciValue> = {};
  const set: Record<string, UciValue> = {};
  for (const [name, value] of Object.entries(changes.set)) {
    if (schema.properties[name]?.['x-secret']) secrets[name] = value;
    else set[name] = value;
  }
  return { config: { set, remove: changes.remove }, secrets };
}

/** Issues keyed by option name (`smartgrid.telemetry.batch_size` -> `batch_size`). */
export function issuesByOption(issues: ConfigIssue[]): Record<string, string> {
  const byOption: Record<string, string> = {};
  for (const issue of issues) {
    const option = issue.path.split('.').slice(2).join('.') || '';
    byOption[option] = byOption[option] ? `${byOption[option]}; ${issue.message}` : issue.message;
  }
  return byOption;
}
