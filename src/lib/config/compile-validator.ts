// Runtime ajv compilation of a section schema: what tests and ad-hoc bundles use. The service
// bundles built by scripts/build.mjs do not contain this module nor the ajv compiler: its import is
// redirected to validators precompiled at build time (./precompiled-validators.mjs).
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { SectionSchema } from './schema-types.js';

/** The ajv options every section validator is compiled with, at run time and at build time. */
export const AJV_OPTIONS = { allErrors: true, useDefaults: true, strict: false } as const;

const ajv = new Ajv(AJV_OPTIONS);
addFormats(ajv);

export function compileValidator(schema: SectionSchema): ValidateFunction {
  if (ajv.getSchema(schema.$id)) ajv.removeSchema(schema.$id);
  return ajv.compile(schema);
}
