import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompiledValidatorsPlugin } from '../../../src/lib/config/precompiled-validators.mjs';
import { READING_AJV_OPTIONS as RUNTIME_OPTIONS } from '../../../src/telemetry/ingest/compile-reading-validators.js';
import { READING_AJV_OPTIONS as BUILD_OPTIONS, readingValidatorsRedirect } from '../../../src/telemetry/ingest/precompiled-reading-validators.mjs';

const COUNT = 5000;
const SEED = 11;
const dir = mkdtempSync(join(tmpdir(), 'precompiled-readings-'));
const fixture = join(__dirname, 'fixtures', 'validate-readings.ts');
const bundles = { runtime: join(dir, 'runtime.cjs'), precompiled: join(dir, 'precompiled.cjs') };
const metafiles: Partial<Record<keyof typeof bundles, Metafile>> = {};

beforeAll(async () => {
  for (const [kind, outfile] of Object.entries(bundles) as [keyof typeof bundles, string][]) {
    const plugins = kind === 'precompiled' ? [precompiledValidatorsPlugin({ redirects: [readingValidatorsRedirect] })] : [];
    const result = await build({
      entryPoints: [fixture], outfile, bundle: true, platform: 'node', target: 'node18', format: 'cjs', external: ['cbor-extract'],
      logLevel: 'warning', metafile: true, plugins,
    });
    metafiles[kind] = result.metafile;
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (bundle: string) => execFileSync(process.execPath, [bundle, String(COUNT), String(SEED)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  .trim().split('\n').map((line) => JSON.parse(line) as { envelope: { valid: boolean }; readings: { valid: boolean }[]; processed: { readings: unknown[]; rejections: unknown[] } });

describe('reading validators precompiled at build time', () => {
  it('are compiled with the options of the runtime compiler', () => {
    expect(BUILD_OPTIONS).toEqual(RUNTIME_OPTIONS);
  });

  it('keep the ajv compiler out of the bundle (the runtime bundle has it)', () => {
    const compilerInputs = (kind: keyof typeof bundles) => Object.keys(metafiles[kind]!.inputs)
      .filter((file) => /node_modules\/ajv\//.test(file) && !/node_modules\/ajv\/dist\/runtime\//.test(file));
    expect(compilerInputs('precompiled')).toEqual([]);
    expect(compilerInputs('runtime').length).toBeGreaterThan(10);
    expect(Object.keys(metafiles.precompiled!.inputs).some((file) => file.endsWith('compile-reading-validators.ts'))).toBe(false);
  });

  it(`give the same verdicts, ajv errors and pipeline results as runtime ajv on ${COUNT} fuzzed payloads`, () => {
    const runtime = run(bundles.runtime);
    const precompiled = run(bundles.precompiled);
    expect(runtime).toHaveLength(COUNT);
    // The corpus exercises both sides of both schemas.
    const readingVerdicts = runtime.flatMap((line) => line.readings.map((r) => r.valid));
    expect(runtime.filter((line) => line.envelope.valid).length).toBeGreaterThan(COUNT / 4);
    expect(runtime.filter((line) => !line.envelope.valid).length).toBeGreaterThan(COUNT / 10);
    expect(readingVerdicts.filter(Boolean).length).toBeGreaterThan(COUNT / 10);
    expect(readingVerdicts.filter((valid) => !valid).length).toBeGreaterThan(COUNT / 10);
    expect(runtime.filter((line) => line.processed.readings.length).length).toBeGreaterThan(COUNT / 10);
    expect(runtime.filter((line) => line.processed.rejections.length).length).toBeGreaterThan(COUNT / 4);
    for (let i = 0; i < COUNT; i++) expect(precompiled[i], `payload ${i}`).toEqual(runtime[i]);
  });
});
