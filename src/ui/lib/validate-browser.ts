import type { ValidateFunction } from 'ajv';
import { checkSection } from '../../lib/config/check-section.js';
import type { SectionSchema } from '../../lib/config/schema-types.js';
import type { ConfigIssue } from '../../lib/config/types.js';
import type { UciValue } from '../../lib/uci/types.js';
import type { SectionValidator } from './schema-form-model.js';

/**
 * The daemon's validation (src/lib/config/validate.ts) for the browser: the same UCI coercion and the
 * same issue texts (both run check-section.ts), with ajv validators compiled at build time (ajv
 * standalone) so the page does not carry the ajv compiler.
 */
export function makeValidator(compiled: Record<string, ValidateFunction>): SectionValidator {
  return (schema: SectionSchema, raw: ReadonlyMap<string, UciValue>): ConfigIssue[] =>
    checkSection({ prefix: schema.$id, schema }, raw, compiled[schema.$id]).issues;
}
