// Build-time ajv: the section schemas (schemas/*.schema.json, the only source of truth) compiled to
// standalone validator code, and an esbuild plugin that makes the service bundles import that code
// instead of ./compile-validator.ts, so no bundle carries the ajv compiler (measured: ~10 MB of idle RSS
// per service, its code plus the validators it generates and compiles with `new Function` at start-up).
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const configDir = dirname(fileURLToPath(import.meta.url));
export const SCHEMAS_DIR = join(configDir, 'schemas');
const RUNTIME_MODULE = join(configDir, 'compile-validator.ts');
const NAMESPACE = 'smartgrid-precompiled-validators';

/** Same as AJV_OPTIONS in compile-validator.ts (a test checks it), plus source generation. */
export const AJV_OPTIONS = { allErrors: true, useDefaults: true, strict: false };

/** `{ '<section>': schema }` of every `*.schema.json` in `dir`. */
export function readSectionSchemas(dir = SCHEMAS_DIR) {
  const schemas = {};
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.schema.json')).sort()) {
    schemas[file.replace(/\.schema\.json$/, '')] = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  }
  return schemas;
}

/**
 * CommonJS source exporting `compileValidator(schema)` with the API of compile-validator.ts: it hands
 * out the validator precompiled for `schema.$id` and throws for a schema that was not precompiled.
 * Only ajv's small runtime helpers (`ajv/dist/runtime/*`, ajv-formats' format table) are required.
 */
export function generateValidatorModule(schemas = readSectionSchemas()) {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: false } });
  addFormats(ajv);
  const exportsById = {};
  for (const [section, schema] of Object.entries(schemas)) {
    if (!/^[a-z][a-z0-9_]*$/.test(section)) throw new Error(`section schema name '${section}' is not an identifier`);
    ajv.addSchema(schema);
    exportsById[section] = schema.$id;
  }
  const code = standaloneCode(ajv, exportsById);
  const table = Object.entries(exportsById).map(([section, id]) => `  ${JSON.stringify(id)}: exports.${section},`).join('\n');
  return `${code}
const precompiledValidators = {
${table}
};
exports.compileValidator = function compileValidator(schema) {
  const validate = Object.prototype.hasOwnProperty.call(precompiledValidators, schema.$id) ? precompiledValidators[schema.$id] : undefined;
  if (!validate) throw new Error(\`\${schema.$id}: no validator was precompiled for this schema (only src/lib/config/schemas/*.schema.json are)\`);
  return validate;
};
`;
}

/** Only the named sections (all when `sections` is undefined); a name without a schema is an error. */
export function pickSections(schemas, sections) {
  if (!sections) return schemas;
  const unknown = sections.filter((section) => !Object.hasOwn(schemas, section));
  if (unknown.length) throw new Error(`no section schema for ${unknown.join(', ')} in ${SCHEMAS_DIR}`);
  return Object.fromEntries(sections.map((section) => [section, schemas[section]]));
}

const precompiledName = (swap) => `${basename(swap.module, '.ts')}.precompiled.cjs`;

/**
 * esbuild plugin: `./compile-validator.js` imported by validate.ts resolves to the generated module.
 * `sections` (optional) limits it to the sections a bundle validates (a service bundle: its own; each
 * section's validator is 20-60 KB of code). `outFile` (optional) also writes the generated code there,
 * for inspection. `redirects` (optional)
 * swaps further runtime-compiling modules the same way: `{ module: '<absolute .ts path>', generate():
 * string (CommonJS source with the module's exports), watchFiles?: string[] }`; with `outFile`, each
 * generated module is also written beside it as `<module name>.cjs`.
 */
export function precompiledValidatorsPlugin({ outFile, redirects = [], sections } = {}) {
  const sectionSchemas = {
    module: RUNTIME_MODULE,
    generate: () => generateValidatorModule(pickSections(readSectionSchemas(), sections)),
    watchFiles: () => readdirSync(SCHEMAS_DIR).filter((name) => name.endsWith('.schema.json')).map((name) => join(SCHEMAS_DIR, name)),
    outFile,
  };
  const swaps = [sectionSchemas, ...redirects.map((redirect) => ({
    ...redirect,
    watchFiles: () => redirect.watchFiles ?? [],
    outFile: outFile && join(dirname(outFile), `${basename(redirect.module, '.ts')}.cjs`),
  }))];
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: /^\.\/compile-[a-z-]+(\.js|\.ts)?$/ }, (args) => {
        const file = join(args.resolveDir, `${args.path.replace(/\.(js|ts)$/, '')}.ts`);
        const swap = swaps.find((candidate) => candidate.module === file);
        return swap ? { path: precompiledName(swap), namespace: NAMESPACE } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const swap = swaps.find((candidate) => precompiledName(candidate) === args.path);
        const generated = swap.generate();
        if (swap.outFile) {
          mkdirSync(dirname(swap.outFile), { recursive: true });
          writeFileSync(swap.outFile, generated);
        }
        return { contents: generated, loader: 'js', resolveDir: dirname(swap.module), watchFiles: swap.watchFiles() };
      });
    },
  };
}
