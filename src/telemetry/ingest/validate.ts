import type { ValidateFunction } from 'ajv';
import { compileReadingValidators } from './compile-reading-validators.js';

/** The wire shape of one reading as DCUs publish it (before OBIS normalisation). */
export interface RawReading {
  ts: number | string;
  meter?: string;
  seq?: number;
  values?: Record<string, number | boolean | string>;
  obis?: Record<string, number | boolean | string>;
}

export interface Validators {
  envelope: ValidateFunction;
  reading: ValidateFunction<RawReading>;
}

let compiled: Validators | undefined;

/**
 * The reading schemas (reading-schemas.json: one reading; a payload is one reading, an array of
 * readings, or `{readings:[...]}`), compiled once per process; the service bundle has them
 * precompiled at build time (scripts/build.mjs).
 */
export function validators(): Validators {
  compiled ??= compileReadingValidators();
  return compiled;
}

export function describeErrors(validate: ValidateFunction): string {
  const error = validate.errors?.[0];
  if (!error) return 'invalid';
  const where = error.instancePath || '(root)';
  const extra = error.keyword === 'additionalProperties' ? ` '${String((error.params as { additionalProperty?: string }).additionalProperty)}'` : '';
  return `${where} ${error.message ?? error.keyword}${extra}`;
}
