import type { ErrorObject, ValidateFunction } from 'ajv';
import type { SecretRegistry } from '../log.js';
import type { UciValue } from '../uci/types.js';
import { coerceSection, makeIssue } from './coerce.js';
import { compileValidator } from './compile-validator.js';
import type { IssueContext } from './coerce.js';
import { sectionName, secretOptions } from './schema-types.js';
import type { SectionSchema } from './schema-types.js';
import type { ConfigIssue, ConfigResult } from './types.js';

export { coerceSection, displayValue } from './coerce.js';
export type { OptionSchema, OptionType, SectionSchema } from './schema-types.js';
export { sectionName, secretOptions } from './schema-types.js';

const compiled = new WeakMap<SectionSchema, ValidateFunction>();

/** One ajv validator per schema object, compiled on first use (precompiled in the service bundles). */
export function validatorFor(schema: SectionSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = compileValidator(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function describeError(error: ErrorObject): { rule: string; problem: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'maximum': return { rule: `maximum ${params.limit}`, problem: `is above the maximum ${params.limit}` };
    case 'minimum': return { rule: `minimum ${params.limit}`, problem: `is below the minimum ${params.limit}` };
    case 'exclusiveMaximum': return { rule: `exclusiveMaximum ${params.limit}`, problem: `must be below ${params.limit}` };
    case 'exclusiveMinimum': return { rule: `exclusiveMinimum ${params.limit}`, problem: `must be above ${params.limit}` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).join('|');
      return { rule: `enum ${allowed}`, problem: `is not one of ${allowed}` };
    }
    case 'pattern': return { rule: `pattern ${params.pattern}`, problem: `does not match the pattern ${params.pattern}` };
    case 'format': return { rule: `format ${params.format}`, problem: `is not a valid ${params.format}` };
    case 'minLength': return { rule: `minLength ${params.limit}`, problem: `is shorter than ${params.limit} characters` };
    case 'maxLength': return { rule: `maxLength ${params.limit}`, problem: `is longer than ${params.limit} characters` };
    case 'minItems': return { rule: `minItems ${params.limit}`, problem: `has fewer than ${params.limit} items` };
    case 'maxItems': return { rule: `maxItems ${params.limit}`, problem: `has more than ${params.limit} items` };
    case 'type': return { rule: `type ${params.type}`, problem: `is not of type ${params.type}` };
    case 'required': return { rule: 'required', problem: 'is required' };
    default: return { rule: error.keyword, problem: error.message ?? `breaks the rule ${error.keyword}` };
  }
}

function toIssue(context: IssueContext, error: ErrorObject, data: Record<string, unknown>): ConfigIssue {
  const segments = error.instancePath.split('/').filter(Boolean);
  const option = error.keyword === 'required' ? String((error.params as { missingProperty: string }).missingProperty) : segments[0] ?? '';
  let value: unknown = option ? data[option] : undefined;
  if (segments.length > 1 && Array.isArray(value)) value = value[Number(segments[1])];
  const { rule, problem } = describeError(error);
  return makeIssue(context, option, value, rule, problem);
}

export interface ValidateOptions {
  /** Secret values found are registered here so the logger masks them everywhere. */
  secrets?: SecretRegistry;
}

/**
 * Coerces a UCI section's options (strings and lists) to the schema's types, applies defaults and
 * validates everything at once. A missing section is `new Map()`: all defaults.
 */
export function validateSection<T>(schema: SectionSchema, raw: ReadonlyMap<string, UciValue>, options: ValidateOptions = {}): ConfigResult<T> {
  const context: IssueContext = { prefix: `smartgrid.${sectionName(schema)}`, schema };
  if (options.secrets) {
    for (const option of secretOptions(schema)) {
      const value = raw.get(option);
      for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) options.secrets.add(item);
    }
  }
  const { values, issues } = coerceSection(context, raw);
  const validate = validatorFor(schema);
  if (!validate(values)) {
    for (const error of validate.errors ?? []) {
      const issue = toIssue(context, error, values);
      if (!issues.some((known) => known.path === issue.path && known.rule === issue.rule)) issues.push(issue);
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, config: values as T };
}

/** The defaults of a schema as a config object (what a missing section means). */
export function schemaDefaults<T>(schema: SectionSchema): T {
  const result = validateSection<T>(schema, new Map());
  if (!result.ok) throw new Error(`${schema.$id}: defaults do not validate: ${result.issues.map((issue) => issue.message).join('; ')}`);
  return result.config;
}
