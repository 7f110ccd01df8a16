// The OpenWrt recipes (package/*/Makefile, luci-app-smartgrid/Makefile) must describe the same
// packages as tools/feed/catalog.ts, which `make ipk` builds from. Each recipe is expanded by GNU make
// against stand-ins of rules.mk, package.mk and luci.mk (test/stand-ins/openwrt-make/), so what is
// checked is what BuildPackage would see, after every shared macro of package/smartgrid.mk.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LICENSE, PACKAGES, type PackageSpec } from '../../../tools/feed/catalog.js';
import { stagePackage } from '../../../tools/feed/stage.js';
import { expandRecipe, type ExpandedPackage } from '../../stand-ins/openwrt-make/expand.js';

const root = join(__dirname, '../../..');
const recipeDir = (spec: PackageSpec) => join(root, 'package', spec.name);
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const CATEGORY: Record<string, string> = { net: 'Network', luci: 'LuCI' };

const deps = (value: string | undefined) => (value ?? '').split(/\s+/).filter(Boolean).map((d) => d.replace(/^\+/, ''));
const words = (value: string) => value.split(/\s+/).filter(Boolean).join(' ');
const commands = (recipe: string) => recipe.split('\n').map((line) => line.trim()).filter(Boolean);

const scratch = mkdtempSync(join(tmpdir(), 'smartgrid-recipes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const expandOne = (spec: PackageSpec, variables: Record<string, string> = {}): ExpandedPackage =>
  expandRecipe(recipeDir(spec), variables).get(spec.name) ?? new Map<string, string>();

/** Regular files under `dir` as `<device path> <octal mode>`, sorted. */
function installedTree(dir: string, base = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return installedTree(full, `${base}/${entry.name}`);
      return [`${base}/${entry.name} ${(statSync(full).mode & 0o7777).toString(8).padStart(4, '0')}`];
    })
    .sort();
}

/**
 * Runs the recipe's expanded install commands over the files `make ipk` stages for the package
 * (placeholder bundles for the services) and returns what they installed.
 */
function runInstall(spec: PackageSpec): { installed: string[]; staged: string[] } {
  const work = mkdtempSync(join(scratch, `${spec.name}-`));
  const bundleDir = join(work, 'bundles');
  mkdirSync(bundleDir);
  if (spec.service) writeFileSync(join(bundleDir, `smartgrid-${spec.service.name}.js`), '// placeholder bundle\n');
  const buildDir = join(work, 'build');
  for (const file of stagePackage(spec, { repoRoot: root, bundleDir }).files) {
    const target = join(buildDir, 'root', file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    chmodSync(target, file.mode);
  }
  const recipe = expandOne(spec, { PKG_BUILD_DIR: buildDir });
  execFileSync('sh', ['-e', '-c', commands(recipe.get('install')!).join('\n')], { stdio: 'pipe' });
  return {
    installed: installedTree(join(buildDir, `ipkg-${recipe.get('PKGARCH')}`, spec.name)),
    staged: installedTree(join(buildDir, 'root')),
  };
}

describe('OpenWrt recipes match the package catalog', () => {
  for (const spec of PACKAGES) {
    describe(spec.name, () => {
      const packages = expandRecipe(recipeDir(spec));
      const recipe = packages.get(spec.name) ?? new Map<string, string>();
      const buildDir = recipe.get('PKG_BUILD_DIR')!;

      it('calls BuildPackage once, for this package', () => {
        expect([...packages.keys()]).toEqual([spec.name]);
      });

      it('names the package, section, category, title, dependencies and description like the catalog', () => {
        expect(recipe.get('PKG_NAME')).toBe(spec.name);
        expect(recipe.get('SECTION')).toBe(spec.section);
        expect(recipe.get('CATEGORY')).toBe(CATEGORY[spec.section]);
        expect(recipe.get('TITLE')).toBe(spec.title);
        expect(recipe.get('PKGARCH')).toBe('all');
        expect(deps(recipe.get('DEPENDS'))).toEqual(spec.depends);
        expect(words(recipe.get('description')!)).toBe(words(spec.description));
        if (spec.kind !== 'luci') expect(recipe.get('SUBMENU')).toBe('smartgrid');
      });

      it('has the version of package.json, release 1 and the license of make ipk', () => {
        expect(recipe.get('PKG_VERSION')).toBe(version);
        expect(recipe.get('PKG_RELEASE')).toBe('1');
        expect(recipe.get('PKG_LICENSE')).toBe(LICENSE);
      });

      it('declares the same conffiles', () => {
        expect(commands(recipe.get('conffiles')!)).toEqual([...spec.conffiles]);
      });

      it('builds on the host: bundles the sources and stages the package as make ipk does', () => {
        const compile = commands(recipe.get('Build/Compile')!);
        if (spec.kind === 'luci') {
          expect(compile).toContain(`cd ${root} && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && node scripts/build.mjs`);
          expect(compile).toContain(`cp -fpR ${root}/htdocs/. ${buildDir}/htdocs/`);
          return;
        }
        // Its own Build/Prepare and Build/Configure, not package.mk's defaults.
        expect(commands(recipe.get('Build/Prepare')!)).toEqual([`mkdir -p ${buildDir}`]);
        expect(commands(recipe.get('Build/Configure')!)).toEqual([]);
        expect(compile).toContain(`cd ${root} && node scripts/make-ipk.mjs stage --package ${spec.name} --dest ${buildDir}/root`);
        expect(compile.some((line) => line.endsWith('node scripts/build.mjs'))).toBe(spec.kind === 'service');
      });

      if (spec.kind === 'base' || spec.kind === 'service') {
        it('installs the files make ipk packages, with the same modes', () => {
          const { installed, staged } = runInstall(spec);
          expect(installed.length).toBeGreaterThan(0);
          expect(installed).toEqual(staged);
        });
      }

      it('has an executable test.sh in the openwrt/packages CI style', () => {
        const testScript = join(recipeDir(spec), 'test.sh');
        expect(statSync(testScript).mode & 0o111).not.toBe(0);
        const body = readFileSync(testScript, 'utf8');
        expect(body).toMatch(/^case "\$1" in$/m);
        expect(body).toContain(`\t${spec.name})\n`);
        execFileSync('sh', ['-n', testScript]);
      });
    });
  }

  it('lets the feed scan find the LuCI app through package/ and names the src-link in feeds.conf', () => {
    const link = join(root, 'package', 'luci-app-smartgrid');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../luci-app-smartgrid');
    expect(existsSync(join(link, 'Makefile'))).toBe(true);
    expect(readFileSync(join(root, 'feeds.conf'), 'utf8')).toMatch(/^src-link smartgrid \S+\/package$/m);
  });
});
