import type { RuleKeywords } from './rules.js';

/** The JSON Schema subset a UCI section schema uses (draft-07 plus our `x-` annotations). */
export type OptionType = 'string' | 'integer' | 'number' | 'boolean' | 'array';

export interface OptionSchema extends RuleKeywords {
  type: OptionType;
  title?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  items?: { type: Exclude<OptionType, 'array'>; enum?: unknown[]; pattern?: string; minimum?: number; maximum?: number; format?: string } & RuleKeywords;
  'x-unit'?: string;
  /** Passwords, keys, tokens: never logged, never shown back. */
  'x-secret'?: boolean;
  'x-group'?: string;
}

export interface SectionSchema {
  /** `smartgrid.<section>` */
  $id: string;
  title?: string;
  description?: string;
  type: 'object';
  additionalProperties?: boolean;
  required?: string[];
  properties: Record<string, OptionSchema>;
}

/** `smartgrid.telemetry` -> `telemetry`. */
export function sectionName(schema: SectionSchema): string {
  return schema.$id.replace(/^smartgrid\./, '');
}

export function secretOptions(schema: SectionSchema): string[] {
  return Object.entries(schema.properties).filter(([, option]) => option['x-secret']).map(([name]) => name);
}
