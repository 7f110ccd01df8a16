import type { ErrorObject, ValidateFunction } from 'ajv';
import { coerceSection, makeIssue } from '../../lib/config/coerce.js';
import type { SectionSchema } from '../../lib/config/schema-types.js';
import type { ConfigIssue } from '../../lib/config/types.js';
import type { UciValue } from '../../lib/uci/types.js';
import type { SectionValidator } from './schema-form-model.js';

/**
 * The daemon's validation (src/lib/config/validate.ts) for the browser: the same UCI coercion and the
 * same issue texts, with ajv validators compiled at build time (ajv standalone) so the page does not
 * carry the ajv compiler.
 */
function problemOf(error: ErrorObject): { rule: string; problem: string } {
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

export function makeValidator(compiled: Record<string, ValidateFunction>): SectionValidator {
  return (schema: SectionSchema, raw: ReadonlyMap<string, UciValue>): ConfigIssue[] => {
    const context = { prefix: schema.$id, schema };
    const { values, issues } = coerceSection(context, raw);
    const validate = compiled[schema.$id];
    if (validate && !validate(values)) {
      for (const error of validate.errors ?? []) {
        const segments = error.instancePath.split('/').filter(Boolean);
        const option = error.keyword === 'required' ? String((error.params as { missingProperty: string }).missingProperty) : segments[0] ?? '';
        let value: unknown = option ? values[option] : undefined;
        if (segments.length > 1 && Array.isArray(value)) value = value[Number(segments[1])];
        const { rule, problem } = problemOf(error);
        const issue = makeIssue(context, option, value, rule, problem);
        if (!issues.some((known) => known.path === issue.path && known.rule === issue.rule)) issues.push(issue);
      }
    }
    return issues;
  };
}
