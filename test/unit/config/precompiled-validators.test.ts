import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { AJV_OPTIONS as RUNTIME_OPTIONS } from '../../../src/lib/config/compile-validator.js';
import { AJV_OPTIONS as BUILD_OPTIONS, generateValidatorModule, pickSections, precompiledValidatorsPlugin, readSectionSchemas } from '../../../src/lib/config/precompiled-validators.mjs';
import type { OptionSchema, SectionSchema } from '../../../src/lib/config/schema-types.js';
import { SECTION_SCHEMAS } from '../../../src/lib/config/schemas/index.js';
import { validateSection } from '../../../src/lib/config/validate.js';

interface Case { section: string; raw: [string, string | string[]][] }

/** Values that break each rule an option has, and one that keeps it (its default). */
function badValues(option: OptionSchema): (string | string[])[] {
  const values: (string | string[])[] = [];
  if (option.type === 'boolean') values.push('maybe');
  if (option.type === 'integer' || option.type === 'number') values.push('twelve', '1.5');
  if (option.minimum !== undefined) values.push(String(option.minimum - 1));
  if (option.maximum !== undefined) values.push(String(option.maximum + 1));
  if (option.enum) values.push('not-one-of-them');
  if (option.pattern) values.push('white space/#+ and \u00e9');
  if (option.minLength !== undefined) values.push('x'.repeat(Math.max(0, option.minLength - 1)));
  if (option.maxLength !== undefined) values.push('x'.repeat(option.maxLength + 1));
  if (option.type === 'array') {
    values.push(['ok', 'white space/#+'], []);
    if (option.items?.type === 'integer') values.push(['1', 'x']);
  } else if (option.type === 'string') values.push(['a', 'list']);
  return values;
}

function casesFor(section: string, schema: SectionSchema): Case[] {
  const cases: Case[] = [{ section, raw: [] }, { section, raw: [['no_such_option', '1']] }];
  const everything: [string, string | string[]][] = [];
  for (const [name, option] of Object.entries(schema.properties)) {
    const defaultValue = option.default;
    if (defaultValue !== undefined) {
      const text = Array.isArray(defaultValue) ? defaultValue.map(String) : typeof defaultValue === 'boolean' ? (defaultValue ? '1' : '0') : String(defaultValue);
      cases.push({ section, raw: [[name, text]] });
    }
    for (const value of badValues(option)) {
      cases.push({ section, raw: [[name, value]] });
      everything.push([name, value]);
    }
  }
  // Every bad value at once (the last one per option wins): allErrors reports all of them.
  cases.push({ section, raw: everything });
  return cases;
}

const dir = mkdtempSync(join(tmpdir(), 'precompiled-validators-'));
const fixture = join(__dirname, 'fixtures', 'validate-cases.ts');
const casesFile = join(dir, 'cases.json');
const cases = Object.entries(SECTION_SCHEMAS).flatMap(([section, schema]) => casesFor(section, schema));
let metafile: Metafile;
let precompiledBundle: string;

beforeAll(async () => {
  writeFileSync(casesFile, JSON.stringify(cases));
  precompiledBundle = join(dir, 'precompiled.cjs');
  const result = await build({
    entryPoints: [fixture], outfile: precompiledBundle, bundle: true, platform: 'node', target: 'node18', format: 'cjs',
    logLevel: 'warning', metafile: true, plugins: [precompiledValidatorsPlugin({ outFile: join(dir, 'validators.cjs') })],
  });
  metafile = result.metafile;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validators precompiled at build time', () => {
  it('are compiled with the options of the runtime compiler', () => {
    expect(BUILD_OPTIONS).toEqual(RUNTIME_OPTIONS);
  });

  it('cover exactly the section schemas the project ships', () => {
    expect(Object.keys(readSectionSchemas()).sort()).toEqual(Object.keys(SECTION_SCHEMAS).sort());
    expect(readSectionSchemas()).toEqual(SECTION_SCHEMAS);
  });

  it('keep the ajv compiler out of a bundle: only ajv runtime helpers are bundled', () => {
    const ajvInputs = Object.keys(metafile.inputs).filter((file) => /node_modules\/ajv(-formats)?\//.test(file));
    expect(ajvInputs.filter((file) => !/node_modules\/ajv\/dist\/runtime\//.test(file))).toEqual([]);
    expect(Object.keys(metafile.inputs).some((file) => file.endsWith('compile-validator.ts'))).toBe(false);
  });

  it(`give the same configs and issues as runtime ajv on ${cases.length} valid and invalid sections`, () => {
    const output = JSON.parse(execFileSync(process.execPath, [precompiledBundle, casesFile], { encoding: 'utf8' })) as { results: unknown[]; unknownSchema: string };
    const expected = cases.map(({ section, raw }) => validateSection(SECTION_SCHEMAS[section], new Map(raw)));
    expect(expected.filter((result) => !result.ok).length).toBeGreaterThan(cases.length / 2);
    expect(output.results).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(output.unknownSchema).toBe('smartgrid.unshipped: no validator was precompiled for this schema (only src/lib/config/schemas/*.schema.json are)');
  });
});

describe('validators of one section per service bundle', () => {
  /** The schema ids of the generated `precompiledValidators` table (also minified). */
  const table = (code: string) => {
    const body = /precompiledValidators ?= ?\{([^}]*)\}/.exec(code)?.[1] ?? '';
    return [...body.matchAll(/"(smartgrid\.[a-z0-9_]+)": ?exports\d*\.[a-z0-9_]+/g)].map((match) => match[1]).sort();
  };

  it('pickSections keeps the named sections and refuses one without a schema', () => {
    expect(Object.keys(pickSections(readSectionSchemas(), ['thread']))).toEqual(['thread']);
    expect(Object.keys(pickSections(readSectionSchemas(), undefined)).sort()).toEqual(Object.keys(SECTION_SCHEMAS).sort());
    expect(() => pickSections(readSectionSchemas(), ['weather'])).toThrow(/^no section schema for weather in /);
    expect(table(generateValidatorModule(pickSections(readSectionSchemas(), ['thread'])))).toEqual(['smartgrid.thread']);
  });

  it.each(Object.keys(SECTION_SCHEMAS))('the built smartgrid-%s bundle carries its own section\'s validator only', (section) => {
    const bundle = join(__dirname, '../../../build/bundles', `smartgrid-${section}.js`);
    expect(existsSync(bundle), `${bundle}: run node scripts/build.mjs first`).toBe(true);
    expect(table(readFileSync(bundle, 'utf8'))).toEqual([`smartgrid.${section}`]);
  });
});
