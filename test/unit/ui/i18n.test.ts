import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../..', import.meta.url).pathname;

describe('luci-app-smartgrid translations', () => {
  it('English and Spanish translate every string of the pages, the menu and the schemas', () => {
    const output = execFileSync(process.execPath, [join(root, 'src/ui/i18n/extract.mjs'), '--check'], { encoding: 'utf8' });
    expect(output).toMatch(/^\d+ strings, 0 translations missing/m);
  });

  it('the Spanish catalogue parses to the entries the pages use', async () => {
    const { parsePo } = await import(join(root, 'src/ui/build-plugins.mjs'));
    const es = parsePo(readFileSync(join(root, 'luci-app-smartgrid/po/es/smartgrid.po'), 'utf8')) as Record<string, string>;
    expect(es['Save & Apply']).toBe('Guardar y aplicar');
    expect(es['Really run "%s" now? The LTE uplink will be interrupted.']).toBe('¿Ejecutar «%s» ahora? El enlace LTE se interrumpirá.');
    expect(es['']).toBeUndefined();
  });
});
