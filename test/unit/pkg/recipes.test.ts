// The OpenWrt recipes (package/*/Makefile, luci-app-smartgrid/Makefile) must describe the same
// packages as tools/feed/catalog.ts, which `make ipk` builds from. Each recipe is expanded by GNU make
// against stand-ins of rules.mk, package.mk and luci.mk (test/stand-ins/openwrt-make/), so what is
// checked is what BuildPackage would see, after every shared macro of package/smartgrid.mk.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LICENSE, PACKAGES, SERVICES, type PackageSpec } from '../../../tools/feed/catalog.js';
import { buildDist, distName } from '../../../tools/feed/dist.js';
import { renderCommandWrapper, renderInitScript } from '../../../tools/feed/scripts.js';
import { requireTool } from '../../helpers/tools.js';
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

/** The dist tarball `make dist` makes, from placeholder bundles, in a dl/ dir like the SDK's. */
function distFor(work: string): string {
  const bundleDir = join(work, 'bundles');
  mkdirSync(bundleDir, { recursive: true });
  for (const service of SERVICES) writeFileSync(join(bundleDir, `smartgrid-${service}.js`), `// placeholder bundle ${service}\n`);
  const dlDir = join(work, 'dl');
  buildDist({ repoRoot: root, outDir: dlDir, version, sourceDateEpoch: 1700000000, bundleDir });
  return dlDir;
}

/**
 * Runs the recipe's expanded Build/Prepare, Build/Compile and install commands with the network
 * disabled (unshare -n) over the dist tarball and returns what they installed, beside what the
 * feed tooling stages for the same package.
 */
function runOfflineBuild(spec: PackageSpec): { installed: string[]; staged: string[] } {
  requireTool('unshare');
  const work = mkdtempSync(join(scratch, `${spec.name}-`));
  const dlDir = distFor(work);
  const buildDir = join(work, 'build');
  const recipe = expandOne(spec, { PKG_BUILD_DIR: buildDir, DL_DIR: dlDir });
  const steps = ['Build/Prepare', 'Build/Configure', 'Build/Compile', 'install'].flatMap((item) => commands(recipe.get(item)!));
  execFileSync('unshare', ['-n', 'sh', '-e', '-c', steps.join('\n')], { cwd: recipeDir(spec), stdio: 'pipe' });
  const stagedDir = join(work, 'staged');
  for (const file of stagePackage(spec, { repoRoot: root, bundleDir: join(work, 'bundles') }).files) {
    const target = join(stagedDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    chmodSync(target, file.mode);
  }
  return { installed: installedTree(join(buildDir, `ipkg-${recipe.get('PKGARCH')}`, spec.name)), staged: installedTree(stagedDir) };
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

      it('builds from the make dist tarball (PKG_SOURCE, PKG_SOURCE_URL, PKG_HASH) with no node, npm or download in its steps', () => {
        expect(recipe.get('PKG_SOURCE')).toBe(`${distName(version)}.tar.gz`);
        expect(recipe.get('PKG_SOURCE_URL')).toBe(`https://downloads.example.invalid/smartgrid/${version}`);
        expect(recipe.get('PKG_HASH')).toMatch(/^([0-9a-f]{64}|skip)$/);
        const steps = ['Build/Prepare', 'Build/Configure', 'Build/Compile'].map((item) => recipe.get(item)!).join('\n');
        expect(steps.replace(/prometheus-node-exporter-lua/g, 'collector-package')).not.toMatch(/\b(npm|node|wget|curl|git)\b/);
        expect(steps).toContain(`tar -C ${buildDir}/dist --strip-components=1 -xzf`);
        if (spec.kind !== 'luci') expect(commands(recipe.get('Build/Compile')!)).toEqual([]);
      });

      it('installs, with the network disabled, the files make ipk and make apk package, with the same modes', () => {
        const { installed, staged } = runOfflineBuild(spec);
        expect(installed.length).toBeGreaterThan(0);
        expect(installed).toEqual(staged);
      });

      if (spec.service) {
        it('ships its init script as files/<name>.init, identical to what the catalog generates', () => {
          expect(readFileSync(join(recipeDir(spec), 'files', `${spec.name}.init`), 'utf8')).toBe(renderInitScript(spec));
          expect(statSync(join(recipeDir(spec), 'files', `${spec.name}.init`)).mode & 0o111).not.toBe(0);
        });

        it('ships its command as files/<name>.command exactly when the catalog gives it subcommands', () => {
          const command = join(recipeDir(spec), 'files', `${spec.name}.command`);
          if (!spec.service!.subcommands?.length) {
            expect(existsSync(command)).toBe(false);
            return;
          }
          expect(readFileSync(command, 'utf8')).toBe(renderCommandWrapper(spec));
          expect(statSync(command).mode & 0o111).not.toBe(0);
        });

        it('depends on node with a version in the form of each package format', () => {
          expect(expandOne(spec).get('EXTRA_DEPENDS')).toBe('node (>=v18)');
          expect(expandOne(spec, { CONFIG_USE_APK: 'y' }).get('EXTRA_DEPENDS')).toBe('node (>=18)');
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

  it('make dist is reproducible and puts every package under smartgrid-<version>/root/', () => {
    const first = mkdtempSync(join(scratch, 'dist-a-'));
    const second = mkdtempSync(join(scratch, 'dist-b-'));
    const a = readFileSync(join(distFor(first), `${distName(version)}.tar.gz`));
    const b = readFileSync(join(distFor(second), `${distName(version)}.tar.gz`));
    expect(a.equals(b)).toBe(true);
    const listing = execFileSync('tar', ['-tzf', join(first, 'dl', `${distName(version)}.tar.gz`)], { encoding: 'utf8' }).split('\n');
    for (const spec of PACKAGES) expect(listing).toContain(`${distName(version)}/root/${spec.name}/`);
    expect(readFileSync(join(first, 'dl', 'release.mk'), 'utf8')).toMatch(/^SMARTGRID_SOURCE_HASH:=[0-9a-f]{64}$/m);
  });

  it('lets the feed scan find the LuCI app through package/ and names the src-link in feeds.conf', () => {
    const link = join(root, 'package', 'luci-app-smartgrid');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../luci-app-smartgrid');
    expect(existsSync(join(link, 'Makefile'))).toBe(true);
    expect(readFileSync(join(root, 'feeds.conf'), 'utf8')).toMatch(/^src-link smartgrid \S+\/package$/m);
  });
});
