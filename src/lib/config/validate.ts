import type { ValidateFunction } from 'ajv';
import type { SecretRegistry } from '../log.js';
import type { UciValue } from '../uci/types.js';
import { checkSection } from './check-section.js';
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
  const { values, issues } = checkSection(context, raw, validatorFor(schema));
  return issues.length ? { ok: false, issues } : { ok: true, config: values as T };
}

/** The defaults of a schema as a config object (what a missing section means). */
export function schemaDefaults<T>(schema: SectionSchema): T {
  const result = validateSection<T>(schema, new Map());
  if (!result.ok) throw new Error(`${schema.$id}: defaults do not validate: ${result.issues.map((issue) => issue.message).join('; ')}`);
  return result.config;
}
