// Build-time ajv for the reading schemas (reading-schemas.json): standalone validator code that
// scripts/build.mjs puts in the telemetry bundle instead of ./compile-reading-validators.ts, so the
// service never loads the ajv compiler nor compiles with `new Function` at start-up (idle RSS).
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ingestDir = dirname(fileURLToPath(import.meta.url));
export const READING_SCHEMAS_FILE = join(ingestDir, 'reading-schemas.json');

/** Same as READING_AJV_OPTIONS in compile-reading-validators.ts (a test checks it). */
export const READING_AJV_OPTIONS = { allErrors: false, strict: true, strictRequired: false };

/** CommonJS source exporting `compileReadingValidators()` with the API of compile-reading-validators.ts. */
export function generateReadingValidatorModule(schemas = JSON.parse(readFileSync(READING_SCHEMAS_FILE, 'utf8'))) {
  const ajv = new Ajv({ ...READING_AJV_OPTIONS, code: { source: true, esm: false } });
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  const code = standaloneCode(ajv, { envelope: schemas.envelope.$id, reading: schemas.reading.$id });
  return `${code}
exports.compileReadingValidators = function compileReadingValidators() {
  return { envelope: exports.envelope, reading: exports.reading };
};
`;
}

/** For precompiledValidatorsPlugin's `redirects`: the runtime module and what replaces it. */
export const readingValidatorsRedirect = {
  module: join(ingestDir, 'compile-reading-validators.ts'),
  generate: generateReadingValidatorModule,
  watchFiles: [READING_SCHEMAS_FILE],
};
