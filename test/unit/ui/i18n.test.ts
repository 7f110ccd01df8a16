import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

  it("the page bundles carry no catalogue: they translate through LuCI's _() (luci-i18n-smartgrid-<lang>)", () => {
    const dir = join(root, 'htdocs/luci-static/resources/smartgrid');
    for (const page of ['overview', 'telemetry', 'lte']) {
      const file = join(dir, `${page}.js`);
      if (!existsSync(file)) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'pipe' });
      const bundle = readFileSync(file, 'utf8');
      expect(bundle.includes('No se pudo') || bundle.includes('Guardar y aplicar'), `${page}.js carries Spanish text`).toBe(false);
      expect(bundle.includes('Could not load the status: %s'), `${page}.js has its English msgids`).toBe(true);
    }
  });
});
