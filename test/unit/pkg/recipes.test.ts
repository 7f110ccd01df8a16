// The OpenWrt recipes (package/*/Makefile, luci-app-smartgrid/Makefile) must describe the same
// packages as src/pkg/catalog.ts, which `make ipk` builds from.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGES, type PackageSpec } from '../../../src/pkg/catalog.js';
import { bundlePath, initScriptPath } from '../../../src/pkg/scripts.js';

const root = join(__dirname, '../../..');
const recipeDir = (spec: PackageSpec) => join(root, 'package', spec.name);
const makefile = (spec: PackageSpec) => readFileSync(join(recipeDir(spec), 'Makefile'), 'utf8');

function variable(text: string, name: string): string | undefined {
  const match = new RegExp(`^\\s*${name.replace(/\//g, '\\/')}:=((?:.*\\\\\\n)*.*)$`, 'm').exec(text);
  return match?.[1]!.replace(/\\\n\s*/g, ' ').trim();
}

function block(text: string, name: string): string | undefined {
  const match = new RegExp(`^define ${name.replace(/\//g, '\\/')}\\n([\\s\\S]*?)^endef`, 'm').exec(text);
  return match?.[1];
}

const deps = (value: string | undefined) => (value ?? '').split(/\s+/).filter(Boolean).map((d) => d.replace(/^\+/, ''));
const words = (value: string) => value.split(/\s+/).filter(Boolean).join(' ');

describe('OpenWrt recipes match the package catalog', () => {
  for (const spec of PACKAGES) {
    describe(spec.name, () => {
      const text = makefile(spec);

      it('names the package, title, dependencies and description like the catalog', () => {
        if (spec.kind === 'luci') {
          expect(text).toMatch(/^include \$\(TOPDIR\)\/feeds\/luci\/luci\.mk$/m);
          expect(variable(text, 'LUCI_TITLE')).toBe(spec.title);
          expect(deps(variable(text, 'LUCI_DEPENDS'))).toEqual(spec.depends);
          expect(words(variable(text, 'LUCI_DESCRIPTION')!)).toBe(words(spec.description));
          expect(variable(text, 'LUCI_PKGARCH')).toBe('all');
          return;
        }
        expect(variable(text, 'PKG_NAME')).toBe(spec.name);
        const pkg = block(text, `Package/${spec.name}`)!;
        expect(variable(pkg, 'TITLE')).toBe(spec.title);
        expect(variable(pkg, 'SECTION')).toBe(spec.section);
        expect(variable(pkg, 'PKGARCH')).toBe('all');
        expect(deps(variable(pkg, 'DEPENDS'))).toEqual(spec.depends);
        expect(words(block(text, `Package/${spec.name}/description`)!)).toBe(words(spec.description));
        expect(text).toContain(`$(eval $(call BuildPackage,${spec.name}))`);
      });

      it('declares the same conffiles', () => {
        const conffiles = block(text, `Package/${spec.name}/conffiles`);
        expect((conffiles ?? '').split('\n').filter(Boolean)).toEqual([...spec.conffiles]);
      });

      it('installs the files make ipk packages', () => {
        if (spec.kind === 'service') {
          const install = block(text, `Package/${spec.name}/install`)!;
          const bundle = bundlePath(spec.service!);
          const init = initScriptPath(spec.service!);
          expect(install).toContain(`$(INSTALL_BIN) $(PKG_BUILD_DIR)/root${bundle} $(1)${bundle.slice(0, bundle.lastIndexOf('/') + 1)}`);
          expect(install).toContain(`$(INSTALL_BIN) $(PKG_BUILD_DIR)/root${init} $(1)/etc/init.d/`);
          expect(text).toContain(`$(call Smartgrid/Stage,${spec.name})`);
        }
        if (spec.kind === 'base') {
          const install = block(text, `Package/${spec.name}/install`)!;
          expect(install).toContain('$(INSTALL_CONF) $(PKG_BUILD_DIR)/root/etc/config/smartgrid $(1)/etc/config/smartgrid');
          expect(install).toContain('/usr/share/smartgrid/schemas/');
        }
      });

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

  it('shares one version (package.json) and release 1 with make ipk', () => {
    const shared = readFileSync(join(root, 'package', 'smartgrid.mk'), 'utf8');
    expect(shared).toContain('package.json');
    expect(variable(shared, 'PKG_RELEASE')).toBe('1');
    expect(variable(shared, 'PKG_LICENSE')).toBe('Apache-2.0');
  });

  it('lets the feed scan find the LuCI app through package/ and names the src-link in feeds.conf', () => {
    const link = join(root, 'package', 'luci-app-smartgrid');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../luci-app-smartgrid');
    expect(existsSync(join(link, 'Makefile'))).toBe(true);
    expect(readFileSync(join(root, 'feeds.conf'), 'utf8')).toMatch(/^src-link smartgrid \S+\/package$/m);
  });
});
