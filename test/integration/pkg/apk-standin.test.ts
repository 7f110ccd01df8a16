// The apk stand-in (test/stand-ins/apk) against what apk-tools 3.0.5 printed and wrote in
// ../shared/conformance/apk/install/: the same packages, indexes and keys, the same transcripts,
// database, script calls and conffile handling.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../helpers/tools.js';
import { OfflineApk } from '../../stand-ins/apk/apk.js';
import { repoRoot } from './feed-build.js';

const samples = join(repoRoot, '../shared/conformance/apk');
const capture = (name: string) => readFileSync(join(samples, 'install', name), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'sg-apk-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** stdout / stderr / exit status of a captured transcript. */
function transcript(name: string): { stdout: string; stderr: string; exitCode: number } {
  const text = capture(`${name}.transcript.txt`);
  const section = (from: string, to: string) => text.slice(text.indexOf(from) + from.length + 1, text.indexOf(to));
  return { stdout: section('--- stdout', '--- stderr'), stderr: section('--- stderr', '--- exit status'), exitCode: Number(/--- exit status: (\d+)/.exec(text)![1]) };
}

const keys = join(work, 'keys');
mkdirSync(keys);
copyFileSync(join(samples, 'keys/test-only-public-key.pem'), join(keys, 'smartgrid-test-only.pem'));

/** A repository dir: the given index as packages.adb plus package files. */
function repo(name: string, index: string, packages: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir);
  copyFileSync(join(samples, 'index', index), join(dir, 'packages.adb'));
  for (const [as, from] of Object.entries(packages)) copyFileSync(join(samples, 'packages', from), join(dir, as));
  return join(dir, 'packages.adb');
}
const same = (name: string) => [name, name] as const;
const four = Object.fromEntries(['libc-1.2.5-r4.apk', 'node-22.12.0-r1.apk', 'x-1.0.0-r1.apk', 'y-1.0-r1.apk'].map(same));
const REPO4 = repo('repo4', 'repo-index-4pkgs.adb', four);
const REPO5 = repo('repo5', 'repo-index-5pkgs.adb', { ...four, ...Object.fromEntries([same('x-1.0.1-r1.apk')]) });

// The tracing stand-in for base-files' /lib/functions.sh the captures used: each default function
// logs $0, its arguments, pkgname, root, PKG_UPGRADE and the environment.
const FUNCTIONS_SH = `log=/tmp/x-scripts.log
add_group_and_user() { echo "add_group_and_user: \\$0=$0 \\$#=$# args=[$*] pkgname=$pkgname root=[$root] PKG_UPGRADE=\${PKG_UPGRADE-unset}" >> $log; }
dump_env() { echo "--- env:" >> $log; env | sort >> $log; echo "--- end env" >> $log; }
default_postinst() { echo "default_postinst: \\$0=$0 args=[$*]" >> $log; dump_env; }
default_prerm() { echo "default_prerm: \\$0=$0 args=[$*] pkgname=$pkgname PKG_UPGRADE=\${PKG_UPGRADE-unset}" >> $log; dump_env; }
`;

/** A root like the captures' root B: static busybox as /bin/sh and the tracing functions.sh. */
function rootB(name: string): string {
  requireTool('busybox');
  const root = join(work, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'lib'), { recursive: true });
  mkdirSync(join(root, 'tmp'), { recursive: true });
  copyFileSync('/usr/bin/busybox', join(root, 'bin/busybox'));
  for (const applet of ['sh', 'env', 'sort', 'echo']) symlinkSync('busybox', join(root, 'bin', applet));
  writeFileSync(join(root, 'lib/functions.sh'), FUNCTIONS_SH);
  return root;
}
const scriptLog = (root: string) => readFileSync(join(root, 'tmp/x-scripts.log'), 'utf8').replace(/\/lib\/apk\/exec\/\S+/g, '$SCRIPT');
const capturedLog = (name: string) => capture(name).replace(/\/proc\/self\/fd\/\d+/g, '$SCRIPT');

describe('apk stand-in: install, upgrade, removal (captures B1-B5, C1-C2)', () => {
  const root = rootB('rootB');
  const apk = new OfflineApk(root, { keysDir: keys });

  it('B1: add x pulls in libc and node, runs post-install with the default functions', () => {
    const result = apk.add(['x'], { repository: REPO4 });
    expect(result).toEqual(transcript('B1-add'));
    expect(scriptLog(root)).toBe(capturedLog('B1-scripts.log'));
    expect(readFileSync(join(root, 'lib/apk/db/installed'), 'utf8')).toBe(capture('db-B1-after-add/installed'));
    expect(readFileSync(join(root, 'etc/apk/world'), 'utf8')).toBe(capture('db-B1-after-add/world'));
  });

  it('B2/B3: audit is clean until the admin edits /etc/config/x', () => {
    expect(apk.audit().stdout).toBe('');
    writeFileSync(join(root, 'etc/config/x'), readFileSync(join(samples, 'install/B4-etc-config-x.after-upgrade.txt')));
    expect(apk.audit().stdout).toBe(transcript('B3-audit-after-edit').stdout.split('\n')[0] + '\n');
  });

  it('B4: upgrade keeps the edited conffile and writes the new default as x.apk-new', () => {
    rmSync(join(root, 'tmp/x-scripts.log'));
    expect(apk.upgrade({ repository: REPO5 })).toEqual(transcript('B4-upgrade'));
    expect(readFileSync(join(root, 'etc/config/x'), 'utf8')).toBe(capture('B4-etc-config-x.after-upgrade.txt'));
    expect(readFileSync(join(root, 'etc/config/x.apk-new'), 'utf8')).toBe(capture('B4-etc-config-x.apk-new.txt'));
    expect(scriptLog(root)).toBe(capturedLog('B4-scripts.log'));
    expect(readFileSync(join(root, 'lib/apk/db/installed'), 'utf8')).toBe(capture('db-B4-after-upgrade/installed'));
  });

  it('B5: del x runs pre-deinstall, purges the pulled-in packages, keeps the edited config', () => {
    rmSync(join(root, 'tmp/x-scripts.log'));
    expect(apk.del(['x'])).toEqual(transcript('B5-del'));
    expect(scriptLog(root)).toBe(capturedLog('B5-scripts.log'));
    expect(readFileSync(join(root, 'etc/config/x'), 'utf8')).toBe(capture('B4-etc-config-x.after-upgrade.txt'));
    expect(existsSync(join(root, 'etc/config/x.apk-new'))).toBe(false);
    expect(existsSync(join(root, 'lib/apk/packages'))).toBe(false);
    expect(existsSync(join(root, 'usr'))).toBe(false);
    expect(readFileSync(join(root, 'lib/apk/db/installed'), 'utf8')).toBe('');
  });

  it('C1/C2: an unedited conffile is replaced silently on upgrade', () => {
    const fresh = rootB('rootC');
    const c = new OfflineApk(fresh, { keysDir: keys });
    expect(c.add(['x'], { repository: REPO4 }).stdout).toBe(transcript('C1-add-1.0.0').stdout);
    expect(c.add(['x'], { repository: REPO5, upgrade: true })).toEqual(transcript('C2-upgrade-unedited'));
    expect(readFileSync(join(fresh, 'etc/config/x'), 'utf8')).toBe(capture('C2-etc-config-x.after-upgrade.txt'));
    expect(readdirSync(join(fresh, 'etc/config'))).toEqual(['x']);
  });
});

describe('apk stand-in: trust and integrity failures (captures A1, D1-D8)', () => {
  const attempt = (name: string, targets: string[], options: Parameters<OfflineApk['add']>[1]) => new OfflineApk(rootB(name), { keysDir: keys }).add(targets, options);
  const reword = (result: { stdout: string; stderr: string; exitCode: number }, repository: string, label: string) => ({ ...result, stderr: result.stderr.replaceAll(repository.replace(/\/packages\.adb$/, ''), label) });

  it('A1: a root without /bin/sh installs the files but the post-install fails with 127', () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    expect(new OfflineApk(empty, { keysDir: keys }).add(['x'], { repository: REPO4 })).toEqual(transcript('A1-add-into-empty-root'));
    expect(existsSync(join(empty, 'usr/lib/x/main.js'))).toBe(true);
  });

  it('D1: no trusted key: the index is ignored and the package is unknown', () => {
    const none = join(work, 'no-keys');
    mkdirSync(none);
    expect(reword(attempt('d1', ['y'], { repository: REPO4, keysDir: none }), REPO4, 'REPO')).toEqual(transcript('D1-untrusted-index-no-key'));
  });

  it('D2, D5: an unsigned or tampered index is refused', () => {
    for (const [index, capture] of [['packages-unsigned.adb', 'D2-unsigned-index'], ['packages-tampered-compressed.adb', 'D5-tampered-index']] as const) {
      const label = capture.startsWith('D2') ? 'REPO2' : 'REPO3';
      const path = repo(`${capture}-repo`, index, { 'y-1.0-r1.apk': 'y-1.0-r1.apk' });
      expect(reword(attempt(capture, ['y'], { repository: path }), path, label)).toEqual(transcript(capture));
    }
  });

  it('D3/D4: a local .apk needs --allow-untrusted (OpenWrt packages are unsigned)', () => {
    const local = join(work, 'y-1.0-r1.apk');
    copyFileSync(join(samples, 'packages/y-1.0-r1.apk'), local);
    const d3 = attempt('d3', [local], {});
    expect({ ...d3, stderr: d3.stderr.replace(local, 'OUT/y-1.0-r1.apk') }).toEqual(transcript('D3-local-apk-file-no-allow-untrusted'));
    expect(attempt('d4', [local], { allowUntrusted: true })).toEqual(transcript('D4-local-apk-file-allow-untrusted'));
  });

  it('D6: a directory instead of the packages.adb file finds no index', () => {
    const dir = join(work, 'repo4');
    expect(reword(attempt('d6', ['y'], { repository: dir }), dir, 'REPO')).toEqual(transcript('D6-repo-base-dir-form'));
  });

  it('D7, D8: a package that differs from its index entry, or whose data was changed, is not installed', () => {
    const d7 = repo('repo-d7', 'repo-index-4pkgs.adb', { ...four, 'x-1.0.0-r1.apk': 'x-1.0.0-r1.rebuilt-without-SOURCE_DATE_EPOCH.apk' });
    expect(attempt('d7', ['x'], { repository: d7 })).toEqual(transcript('D7-package-not-matching-index'));
    const d8 = repo('repo-d8', 'repo-index-4pkgs.adb', { ...four, 'y-1.0-r1.apk': 'y-1.0-r1.tampered-data-block.apk' });
    expect(attempt('d8', ['y'], { repository: d8 })).toEqual(transcript('D8-package-data-block-tampered'));
  });
});
