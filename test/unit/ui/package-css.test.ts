import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGES } from '../../../tools/feed/catalog.js';
import { stagePackage } from '../../../tools/feed/stage.js';

const REPO = new URL('../../..', import.meta.url).pathname;

describe("luci-app-smartgrid ships the pages' stylesheet", () => {
  it('installs smartgrid.css beside the bundles and the view helper loads it', () => {
    const spec = PACKAGES.find((candidate) => candidate.name === 'luci-app-smartgrid')!;
    const paths = stagePackage(spec, { repoRoot: REPO }).files.map((file) => file.path);
    expect(paths).toContain('/www/luci-static/resources/smartgrid/smartgrid.css');
    expect(readFileSync(join(REPO, 'htdocs/luci-static/resources/smartgrid/page.js'), 'utf8')).toContain("L.resource('smartgrid/smartgrid.css')");
  });

  it('styles every app class the pages use (sg-*) and nothing the theme already has', () => {
    const css = readFileSync(join(REPO, 'htdocs/luci-static/resources/smartgrid/smartgrid.css'), 'utf8');
    const styled = new Set(css.match(/\.sg-[a-z-]+/g)!.map((name) => name.slice(1)));
    for (const name of ['sg-unit', 'sg-stale-mark', 'sg-chart', 'sg-axis', 'sg-axis-y', 'sg-axis-x', 'sg-grid', 'sg-legend', 'sg-legend-list', 'sg-bar', 'sg-limit']) {
      expect(styled, name).toContain(name);
    }
    expect(css).not.toMatch(/(^|})\s*\.(label|cbi-[a-z-]+|alert-message|btn)\b/m);
  });
});
