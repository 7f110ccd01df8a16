// Runtime ajv compilation of the reading schemas: what tests and ad-hoc bundles use. The service bundle
// built by scripts/build.mjs does not contain this module nor the ajv compiler: its import is redirected
// to the same validators precompiled at build time (./precompiled-reading-validators.mjs).
import Ajv, { type ValidateFunction } from 'ajv';
import schemas from './reading-schemas.json';
import type { RawReading, Validators } from './validate.js';

/** The options the reading validators are compiled with, at run time and at build time. */
export const READING_AJV_OPTIONS = { allErrors: false, strict: true, strictRequired: false } as const;

export function compileReadingValidators(): Validators {
  const ajv = new Ajv(READING_AJV_OPTIONS);
  return { envelope: ajv.compile(schemas.envelope), reading: ajv.compile(schemas.reading) as ValidateFunction<RawReading> };
}
