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

/**
 * The form's initial state from `uci get` of the section. Text, number and list fields hold only
 * what is stored (an unset option shows its default as placeholder, as LuCI does); checkboxes and
 * selects show the stored value, else the default. Secrets start empty.
 */
export function initialValues(schema: SectionSchema, section: Record<string, unknown> | undefined): FormValues {
  const values: FormValues = {};
  for (const field of fieldsOf(schema)) {
    const stored = section?.[field.name];
    const fallback = field.option.default;
    switch (field.kind) {
      case 'secret': values[field.name] = ''; break;
      case 'boolean': values[field.name] = stored === undefined ? Boolean(fallback) : truthy(stored); break;
      case 'enum': values[field.name] = String(stored ?? fallback ?? ''); break;
      case 'list': values[field.name] = stored === undefined ? '' : (Array.isArray(stored) ? stored : [stored]).map(String).join('\n'); break;
      default: values[field.name] = stored === undefined ? '' : String(stored);
    }
  }
  return values;
}

/** The default an empty text or list field stands for, as text (undefined when there is none to show). */
export function defaultText(field: FieldModel): string | undefined {
  const fallback = field.option.default;
  if (field.kind === 'secret' || fallback === undefined || fallback === '') return undefined;
  if (Array.isArray(fallback)) return fallback.length ? fallback.map(String).join(', ') : undefined;
  return String(fallback);
}

export interface UciChanges {
  /** `uci set` values (lists as arrays). */
  set: Record<string, UciValue>;
  /** Options to `uci delete`. */
  remove: string[];
}

const listItems = (value: FormValue | undefined): string[] =>
  String(value ?? '').split('\n').map((item) => item.trim()).filter((item) => item !== '');

/** What a field's form value writes: a UCI value, or undefined for "unset, the default applies". */
function uciValueOf(field: FieldModel, value: FormValue | undefined): UciValue | undefined {
  const fallback = field.option.default;
  if (field.kind === 'boolean') return Boolean(value) === Boolean(fallback) && fallback !== undefined ? undefined : value ? '1' : '0';
  if (field.kind === 'list') {
    const items = listItems(value);
    const same = Array.isArray(fallback) && fallback.length === items.length && fallback.every((item, index) => String(item) === items[index]);
    return items.length === 0 || same ? undefined : items;
  }
  const textValue = String(value ?? '').trim();
  return textValue === '' || (fallback !== undefined && textValue === String(fallback)) ? undefined : textValue;
}

/**
 * Only the options the admin changed since the form was loaded: a changed value is set, a value
 * set back to its default (or emptied) is deleted, untouched options stay as they are (absent ones
 * stay absent). An untouched (empty) secret keeps its stored value.
 */
export function sectionChanges(schema: SectionSchema, initial: FormValues, form: FormValues, stored: Record<string, unknown> | undefined): UciChanges {
  const changes: UciChanges = { set: {}, remove: [] };
  for (const field of fieldsOf(schema)) {
    const value = form[field.name];
    if (value === initial[field.name] || (field.kind === 'secret' && value === '')) continue;
    const next = field.kind === 'secret' ? String(value) : uciValueOf(field, value);
    if (next !== undefined) changes.set[field.name] = next;
    else if (stored?.[field.name] !== undefined) changes.remove.push(field.name);
  }
  return changes;
}

/** The section's options (schema options only) as UCI will hold them once `changes` are applied: what the daemon validates. */
export function sectionAfter(schema: SectionSchema, stored: Record<string, unknown> | undefined, changes: UciChanges): Map<string, UciValue> {
  const raw = new Map<string, UciValue>();
  for (const name of Object.keys(schema.properties)) {
    const value = stored?.[name];
    if (typeof value === 'string') raw.set(name, value);
    else if (Array.isArray(value)) raw.set(name, value.map(String));
  }
  for (const name of changes.remove) raw.delete(name);
  for (const [name, value] of Object.entries(changes.set)) raw.set(name, value);
  return raw;
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
