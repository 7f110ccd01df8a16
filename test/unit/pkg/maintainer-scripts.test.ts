// The maintainer scripts as OpenWrt builds them (tools/feed/openwrt-scripts.ts) around each package's
// own ones, run against a base-files functions.sh stand-in: in an image build (IPKG_INSTROOT set) only
// the /etc/rc.d links change; the apk scripts equal what include/package-pack.mk wrote for the
// conformance sample x.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_MIN_MAJOR, packageSpec } from '../../../tools/feed/catalog.js';
import { apkScripts, ipkControlScripts } from '../../../tools/feed/openwrt-scripts.js';
import { renderInitScript, renderLuciPostinst, renderNodeCheck } from '../../../tools/feed/scripts.js';

const work = mkdtempSync(join(tmpdir(), 'sg-maint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const spec = packageSpec('smartgrid-lte');
const standIns = join(__dirname, '../../stand-ins');

/** An image root with base-files' functions.sh, rc.common and the lte package's init script and file list. */
function imageRoot(name: string, layout: 'opkg' | 'apk'): string {
  const root = join(work, name);
  for (const dir of ['etc/init.d', 'etc/rc.d', 'lib', 'usr/lib/opkg/info', 'lib/apk/packages']) mkdirSync(join(root, dir), { recursive: true });
  copyFileSync(join(standIns, 'procd/rc.common'), join(root, 'etc/rc.common'));
  copyFileSync(join(standIns, 'base-files/functions.sh'), join(root, 'lib/functions.sh'));
  writeFileSync(join(root, 'etc/init.d/smartgrid-lte'), renderInitScript(spec), { mode: 0o755 });
  const list = '/etc/init.d/smartgrid-lte\n/usr/lib/smartgrid/smartgrid-lte.js\n';
  writeFileSync(join(root, layout === 'opkg' ? 'usr/lib/opkg/info/smartgrid-lte.list' : 'lib/apk/packages/smartgrid-lte.list'), list);
  return root;
}

function runScript(text: string, env: Record<string, string>, argv0 = 'script'): { status: number; stderr: string } {
  const path = join(work, argv0);
  writeFileSync(path, text, { mode: 0o755 });
  const run = spawnSync('sh', [path, 'configure'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PROCD_STANDIN_LOG: join(work, 'log'), ...env }, encoding: 'utf8' });
  return { status: run.status ?? -1, stderr: run.stderr };
}

describe('ipk maintainer scripts (default_postinst / default_prerm wrappers)', () => {
  const scripts = ipkControlScripts({ postinst: renderNodeCheck(spec) });

  it('postinst enables the service (rc.d links), prerm disables it; the own script is postinst-pkg', () => {
    const root = imageRoot('image', 'opkg');
    writeFileSync(join(root, 'usr/lib/opkg/info/smartgrid-lte.postinst-pkg'), scripts['postinst-pkg']!);
    expect(runScript(scripts.postinst!, { IPKG_INSTROOT: root }, 'smartgrid-lte.postinst').status).toBe(0);
    expect(readdirSync(join(root, 'etc/rc.d')).sort()).toEqual(['K10smartgrid-lte', 'S95smartgrid-lte']);
    expect(runScript(scripts.prerm!, { IPKG_INSTROOT: root }, 'smartgrid-lte.prerm').status).toBe(0);
    expect(readdirSync(join(root, 'etc/rc.d'))).toEqual([]);
  });

  it('postinst does nothing with IPKG_NO_SCRIPT=1', () => {
    const root = imageRoot('no-script', 'opkg');
    expect(runScript(scripts.postinst!, { IPKG_INSTROOT: root, IPKG_NO_SCRIPT: '1' }, 'smartgrid-lte.postinst').status).toBe(0);
    expect(readdirSync(join(root, 'etc/rc.d'))).toEqual([]);
  });

  it('the wrappers are the ones package-pack.mk writes', () => {
    expect(scripts.postinst).toBe('#!/bin/sh\n[ "${IPKG_NO_SCRIPT}" = "1" ] && exit 0\n[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0\n. ${IPKG_INSTROOT}/lib/functions.sh\ndefault_postinst $0 $@\n');
    expect(scripts.prerm).toBe('#!/bin/sh\n[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0\n. ${IPKG_INSTROOT}/lib/functions.sh\ndefault_prerm $0 $@\n');
  });
});

describe('the node check (own postinst of every service)', () => {
  const fakeNode = (version: string | undefined) => {
    const bin = join(work, `node-${version ?? 'missing'}`);
    mkdirSync(bin, { recursive: true });
    const check = renderNodeCheck(spec).replace(/\/usr\/bin\/node/g, join(bin, 'node'));
    if (version) writeFileSync(join(bin, 'node'), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
    return check;
  };

  it(`passes on node >= ${NODE_MIN_MAJOR}, fails with what to do when node is missing or older`, () => {
    expect(runScript(fakeNode('v20.18.1'), {}).status).toBe(0);
    expect(runScript(fakeNode(`v${NODE_MIN_MAJOR}.0.0`), {}).status).toBe(0);
    const old = runScript(fakeNode('v16.20.2'), {});
    expect(old.status).toBe(1);
    expect(old.stderr).toContain(`smartgrid-lte: node v16.20.2 is too old; the smartgrid services need node >= ${NODE_MIN_MAJOR}`);
    const missing = runScript(fakeNode(undefined), {});
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('OpenWrt 25.12: build node from the node feed');
  });

  it('is skipped in an image build', () => {
    expect(runScript(fakeNode(undefined), { IPKG_INSTROOT: join(work, 'image') }).status).toBe(0);
  });
});

describe('apk maintainer scripts', () => {
  const samples = JSON.parse(readFileSync(join(__dirname, '../../../../shared/conformance/apk/packages/x-input-trees.json'), 'utf8')) as {
    trees: Record<string, { scripts: Record<string, string> }>;
  };

  it('equal the scripts OpenWrt 25.12 wrote for the conformance sample x', () => {
    const own = {
      postinst: '#!/bin/sh\necho "x custom postinst: $0 $*" >> ${IPKG_INSTROOT}/tmp/x-scripts.log\n',
      prerm: '#!/bin/sh\necho "x custom prerm: $0 $*" >> ${IPKG_INSTROOT}/tmp/x-scripts.log\n',
    };
    expect(apkScripts('x', own)).toEqual(samples.trees['1.0.0-r1']!.scripts);
  });

  it('post-install enables the service from the apk file list in an image build', () => {
    const root = imageRoot('apk-image', 'apk');
    const scripts = apkScripts('smartgrid-lte', { postinst: renderNodeCheck(spec) });
    expect(runScript(scripts['post-install']!, { IPKG_INSTROOT: root }).status).toBe(0);
    expect(readdirSync(join(root, 'etc/rc.d')).sort()).toEqual(['K10smartgrid-lte', 'S95smartgrid-lte']);
    expect(runScript(scripts['pre-deinstall']!, { IPKG_INSTROOT: root }).status).toBe(0);
    expect(readdirSync(join(root, 'etc/rc.d'))).toEqual([]);
  });

  it('the LuCI postinst runs uci-defaults only on a live system and passes sh -n', () => {
    const text = renderLuciPostinst(['90_smartgrid']);
    expect(text).toContain('( . /etc/uci-defaults/90_smartgrid ) && rm -f /etc/uci-defaults/90_smartgrid');
    expect(runScript(text, { IPKG_INSTROOT: join(work, 'image') }).status).toBe(0);
    expect(spawnSync('sh', ['-n', '-c', text]).status).toBe(0);
  });
});
