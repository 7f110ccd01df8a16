import type { UciValue } from '../uci/types.js';
import type { ConfigIssue } from './types.js';
import type { OptionSchema, OptionType, SectionSchema } from './schema-types.js';
import { REDACTED } from '../log.js';

/** The spellings OpenWrt's shell helpers (`config_get_bool`) accept. */
const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 'enabled']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'disabled']);
const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export interface IssueContext {
  /** `smartgrid.<section>` */
  prefix: string;
  schema: SectionSchema;
}

/** Shows a value in a message: secrets are never shown, lists as `'a' 'b'` like `uci show`. */
export function displayValue(value: unknown, secret: boolean): string {
  if (secret) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => `'${String(item)}'`).join(' ');
  return String(value);
}

export function makeIssue(context: IssueContext, option: string, value: unknown, rule: string, problem: string): ConfigIssue {
  const secret = Boolean(context.schema.properties[option]?.['x-secret']);
  const shown = displayValue(value, secret);
  return {
    path: option ? `${context.prefix}.${option}` : context.prefix,
    value: secret ? REDACTED : value,
    rule,
    message: `${option ? `${context.prefix}.${option}` : context.prefix}: value '${shown}' ${problem}`,
  };
}

type Scalar = Exclude<OptionType, 'array'>;

function coerceScalar(text: string, type: Scalar): { ok: true; value: unknown } | { ok: false } {
  switch (type) {
    case 'boolean': {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return { ok: false };
    }
    case 'integer':
      return INTEGER.test(text) && Number.isSafeInteger(Number(text)) ? { ok: true, value: Number(text) } : { ok: false };
    case 'number':
      return NUMBER.test(text) ? { ok: true, value: Number(text) } : { ok: false };
    default:
      return { ok: true, value: text };
  }
}

const TYPE_PROBLEM: Record<Scalar, string> = {
  boolean: 'is not a boolean (use 1/0, true/false, yes/no, on/off)',
  integer: 'is not an integer',
  number: 'is not a number',
  string: 'is not a string',
};

/**
 * UCI strings -> typed values per the schema. Options the schema does not know are reported;
 * a scalar where a list is expected becomes a one-item list.
 */
export function coerceSection(context: IssueContext, raw: ReadonlyMap<string, UciValue>): { values: Record<string, unknown>; issues: ConfigIssue[] } {
  const values: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const [option, value] of raw) {
    const schema: OptionSchema | undefined = context.schema.properties[option];
    if (!schema) {
      if (context.schema.additionalProperties === false) {
        issues.push({ path: `${context.prefix}.${option}`, value: undefined, rule: 'known option', message: `${context.prefix}.${option}: unknown option '${option}'` });
      }
      continue;
    }
    if (schema.type === 'array') {
      const items = Array.isArray(value) ? value : [value];
      const itemType: Scalar = schema.items?.type ?? 'string';
      const coerced: unknown[] = [];
      for (const item of items) {
        const result = coerceScalar(item, itemType);
        if (result.ok) coerced.push(result.value);
        else issues.push(makeIssue(context, option, item, `type ${itemType}`, TYPE_PROBLEM[itemType]));
      }
      values[option] = coerced;
      continue;
    }
    if (Array.isArray(value)) {
      issues.push(makeIssue(context, option, value, `type ${schema.type}`, `is a list, but a single ${schema.type} is expected (use 'option', not 'list')`));
      continue;
    }
    const result = coerceScalar(value, schema.type);
    if (result.ok) values[option] = result.value;
    else issues.push(makeIssue(context, option, value, `type ${schema.type}`, TYPE_PROBLEM[schema.type]));
  }
  return { values, issues };
}
