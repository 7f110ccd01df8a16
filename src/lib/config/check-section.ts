import type { ErrorObject, ValidateFunction } from 'ajv';
import type { UciValue } from '../uci/types.js';
import { coerceSection, makeIssue } from './coerce.js';
import type { IssueContext } from './coerce.js';
import { ruleList, ruleProblem } from './rules.js';
import type { ConfigIssue } from './types.js';

// Shared by the daemon (validate.ts) and the browser (src/ui/lib/validate-browser.ts): keep it free
// of node imports and of the ajv compiler, the pages bundle it.

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

/** The shared vocabulary (rules.ts) on every string value of an option that names `x-rule`s. */
function ruleIssues(context: IssueContext, values: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [option, schema] of Object.entries(context.schema.properties)) {
    const keywords = schema.type === 'array' ? schema.items : schema;
    if (!keywords || !ruleList(keywords).length) continue;
    const value = values[option];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'string') continue;
      const problem = ruleProblem(keywords, item);
      if (problem) issues.push(makeIssue(context, option, item, `rule ${ruleList(keywords).join('|')}`, problem));
    }
  }
  return issues;
}

/**
 * Coerces a UCI section's options to the schema's types (defaults applied), then runs `validate`
 * (when given) on the result, then the `x-rule`s; every problem becomes one issue per option and rule.
 */
export function checkSection(
  context: IssueContext,
  raw: ReadonlyMap<string, UciValue>,
  validate: ValidateFunction | undefined,
): { values: Record<string, unknown>; issues: ConfigIssue[] } {
  const { values, issues } = coerceSection(context, raw);
  if (validate && !validate(values)) {
    for (const error of validate.errors ?? []) {
      const issue = toIssue(context, error, values);
      if (!issues.some((known) => known.path === issue.path && known.rule === issue.rule)) issues.push(issue);
    }
  }
  for (const issue of ruleIssues(context, values)) {
    if (!issues.some((known) => known.path === issue.path && known.value === issue.value)) issues.push(issue);
  }
  return { values, issues };
}
