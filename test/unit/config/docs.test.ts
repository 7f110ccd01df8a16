import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error plain ESM script without type declarations
import { DOC_PATH, README_PATH, readmeWithReference, renderDocs } from '../../../scripts/gen-config-docs.mjs';

describe('docs/configuration.md', () => {
  it('is up to date with the schemas (regenerate: node scripts/gen-config-docs.mjs)', () => {
    expect(readFileSync(DOC_PATH as string, 'utf8')).toBe((renderDocs as () => string)());
  });

  it('README.md carries the same reference (regenerate: node scripts/gen-config-docs.mjs)', () => {
    const readme = readFileSync(README_PATH as string, 'utf8');
    expect(readme).toBe((readmeWithReference as (text: string) => string)(readme));
    expect(readme).toContain('### `smartgrid.telemetry`');
  });

  it('documents every option of every schema and marks secrets', () => {
    const text = (renderDocs as () => string)();
    const halow = JSON.parse(readFileSync(join(__dirname, '../../../src/lib/config/schemas/halow.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
    for (const option of Object.keys(halow.properties)) expect(text).toContain(`| \`${option}\` |`);
    expect(text).toMatch(/\| `sae_password` \|.*\*\*Secret\.\*\* \|/);
  });
});
