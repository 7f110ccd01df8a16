// `make apk` output: every catalog package as an apk v3 file and a signed packages.adb, checked field
// by field against what OpenWrt 25.12's build writes, signature checked by openssl too, and
// installed, upgraded and removed with the apk stand-in in a chroot running the real maintainer
// scripts (base-files functions.sh and rc.common stand-ins).
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApk } from '../../../tools/feed/apk/package.js';
import { compress, decompress, parseStream } from '../../../tools/feed/apk/container.js';
import { SCHEMA_INDEX } from '../../../tools/feed/apk/schema.js';
import { trustedKey } from '../../../tools/feed/apk/sign.js';
import { decodeApk, verifyIndex } from '../../../tools/feed/apk/verify.js';
import { buildApkFeed } from '../../../tools/feed/apk-feed.js';
import { NODE_MIN_MAJOR, PACKAGES, UCI_CONFIG_PATH, packageDepends } from '../../../tools/feed/catalog.js';
import { requireTool } from '../../helpers/tools.js';
import { OfflineApk } from '../../stand-ins/apk/apk.js';
import { ensureBundles, repoRoot, SOURCE_DATE_EPOCH } from './feed-build.js';

const work = mkdtempSync(join(tmpdir(), 'sg-apkfeed-'));
const keys = join(repoRoot, '../shared/conformance/apk/keys');
// The published conformance TEST key: fine for a throw-away test feed, never for a real one.
const privateKeyPem = readFileSync(join(keys, 'test-only-private-key.pem'), 'utf8');
const publicKeyPem = readFileSync(join(keys, 'test-only-public-key.pem'), 'utf8');
const feed = (label: string) => join(work, `feed-${label}`);

function build(version: string, label = version) {
  return buildApkFeed({ repoRoot, outDir: feed(label), version, release: 1, sourceDateEpoch: SOURCE_DATE_EPOCH, privateKeyPem, publicKeyPem });
}

beforeAll(() => {
  ensureBundles();
  build('9.9.9');
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const read = (label: string, file: string) => readFileSync(join(feed(label), file));
const indexPayload = (bytes: Buffer) => parseStream(decompress(bytes)).blocks[0]!.payload;

describe('apk packages of the catalog', () => {
  for (const spec of PACKAGES) {
    it(`${spec.name}: info, OpenWrt metadata files and scripts as OpenWrt 25.12 writes them`, () => {
      const decoded = decodeApk(read('9.9.9', `${spec.name}-9.9.9-r1.apk`));
      expect(decoded.info).toMatchObject({
        name: spec.name, version: '9.9.9-r1', arch: 'noarch', license: 'Apache-2.0', origin: `feeds/smartgrid/${spec.name}`,
        description: spec.description.split(/\s+/).join(' '), provides: [`${spec.name}-any`],
      });
      // The ADB info keeps dependencies sorted, so compare them as a set.
      expect([...decoded.info.depends].sort()).toEqual(packageDepends(spec, 'apk').sort());
      if (spec.service) expect(decoded.info.depends).toEqual(expect.arrayContaining(['libc', `node>=${NODE_MIN_MAJOR}`, 'smartgrid-base']));
      const own = decoded.files.filter((f) => !f.path.startsWith('/lib/apk/packages/')).map((f) => f.path).sort();
      const list = decoded.files.find((f) => f.path === `/lib/apk/packages/${spec.name}.list`)!;
      expect(list.content.toString()).toBe(own.map((p) => `${p}\n`).join(''));
      expect(Object.keys(decoded.scripts).sort()).toEqual(spec.kind === 'luci' ? ['post-deinstall', 'post-install', 'post-upgrade', 'pre-deinstall'] : ['post-install', 'post-upgrade', 'pre-deinstall']);
      expect(decoded.scripts['post-install']).toContain(`export pkgname="${spec.name}"\nadd_group_and_user\ndefault_postinst\n`);
      expect(decoded.files.every((f) => f.mtime === SOURCE_DATE_EPOCH)).toBe(true);
      for (const script of Object.values(decoded.scripts)) expect(execFileSync('sh', ['-n', '-c', script]).length).toBe(0);
    });
  }

  it('smartgrid-base carries its conffile list and checksums; the config is root-only', () => {
    const decoded = decodeApk(read('9.9.9', 'smartgrid-base-9.9.9-r1.apk'));
    const file = (path: string) => decoded.files.find((f) => f.path === path)!;
    expect(file('/lib/apk/packages/smartgrid-base.conffiles').content.toString()).toBe(`${UCI_CONFIG_PATH}\n`);
    const sum = createHash('sha256').update(file(UCI_CONFIG_PATH).content).digest('hex');
    expect(file('/lib/apk/packages/smartgrid-base.conffiles_static').content.toString()).toBe(`${UCI_CONFIG_PATH} ${sum}\n`);
    expect(file(UCI_CONFIG_PATH).mode).toBe(0o600);
  });

  it('is reproducible: the same tree and epoch give the same packages and the same index ADB block', () => {
    build('9.9.9', 'again');
    for (const name of readdirSync(feed('9.9.9')).filter((f) => f.endsWith('.apk'))) expect(read('9.9.9', name).equals(read('again', name)), name).toBe(true);
    expect(indexPayload(read('again', 'packages.adb')).equals(indexPayload(read('9.9.9', 'packages.adb')))).toBe(true);
  });
});

describe('packages.adb', () => {
  const key = trustedKey('smartgrid-feed.pem', publicKeyPem);

  it('lists every package with its file size and the hash of its ADB block', () => {
    const entries = verifyIndex(read('9.9.9', 'packages.adb'), [key]);
    const files = readdirSync(feed('9.9.9')).filter((f) => f.endsWith('.apk')).sort();
    expect(entries.map((e) => `${e.name}-${e.version}.apk`).sort()).toEqual(files);
    for (const entry of entries) {
      const bytes = read('9.9.9', `${entry.name}-${entry.version}.apk`);
      expect(entry.fileSize).toBe(bytes.length);
      expect(entry.hashes!.equals(createHash('sha256').update(decodeApk(bytes).adb).digest())).toBe(true);
    }
    expect(read('9.9.9', 'smartgrid-feed.pem').toString()).toBe(publicKeyPem);
  });

  it('has a signature openssl verifies (ECDSA-SHA512 over schema, SIG header and SHA-512 of the ADB block)', () => {
    requireTool('openssl');
    const { blocks } = parseStream(decompress(read('9.9.9', 'packages.adb')));
    const sig = blocks[1]!.payload;
    const schema = Buffer.alloc(4);
    schema.writeUInt32LE(SCHEMA_INDEX);
    const message = Buffer.concat([schema, sig.subarray(0, 18), createHash('sha512').update(blocks[0]!.payload).digest()]);
    writeFileSync(join(work, 'message'), message);
    writeFileSync(join(work, 'signature.der'), sig.subarray(18));
    const out = execFileSync('openssl', ['dgst', '-sha512', '-verify', join(keys, 'test-only-public-key.pem'), '-signature', join(work, 'signature.der'), join(work, 'message')], { encoding: 'utf8' });
    expect(out.trim()).toBe('Verified OK');
  });

  it('a changed byte in the index is rejected by our verifier; another key is not trusted', () => {
    const stream = decompress(read('9.9.9', 'packages.adb'));
    const tampered = Buffer.from(stream);
    tampered[40] ^= 0x01;
    expect(() => verifyIndex(compress(tampered), [key])).toThrow('UNTRUSTED signature');
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(() => verifyIndex(read('9.9.9', 'packages.adb'), [trustedKey('other.pem', other)])).toThrow('UNTRUSTED signature');
    expect(verifyIndex(read('9.9.9', 'packages.adb'), [trustedKey('other.pem', other), key]).length).toBeGreaterThan(0);
  });
});

/** A device root: static busybox, base-files' functions.sh and rc.common stand-ins, libc and node stubs. */
function deviceRoot(name: string): { root: string; apk: OfflineApk } {
  requireTool('busybox');
  const root = join(work, name);
  for (const dir of ['bin', 'dev', 'lib/standin', 'etc/rc.d', 'etc/apk/keys', 'tmp']) mkdirSync(join(root, dir), { recursive: true });
  requireTool('mknod');
  execFileSync('mknod', ['-m', '666', join(root, 'dev/null'), 'c', '1', '3']);
  copyFileSync('/usr/bin/busybox', join(root, 'bin/busybox'));
  execFileSync(join(root, 'bin/busybox'), ['--install', '-s', join(root, 'bin')]);
  for (const link of readdirSync(join(root, 'bin')).filter((f) => f !== 'busybox')) {
    rmSync(join(root, 'bin', link));
    symlinkSync('busybox', join(root, 'bin', link));
  }
  copyFileSync(join(repoRoot, 'test/stand-ins/base-files/functions.sh'), join(root, 'lib/functions.sh'));
  copyFileSync(join(repoRoot, 'test/stand-ins/procd/rc.common'), join(root, 'lib/standin/rc.common'));
  // apk gives scripts only PATH, APK_SCRIPT and APK_PACKAGE: the procd stand-in logs to a fixed file.
  writeFileSync(join(root, 'etc/rc.common'), '#!/bin/sh\nexport PROCD_STANDIN_LOG=/tmp/procd.log UCI_CONFIG_DIR=/etc/config RC_D=/etc/rc.d\n. /lib/standin/rc.common\n', { mode: 0o755 });
  copyFileSync(join(keys, 'test-only-public-key.pem'), join(root, 'etc/apk/keys/smartgrid-feed.pem'));
  const apk = new OfflineApk(root);
  const stubs = join(work, `${name}-stubs`);
  mkdirSync(stubs);
  const node = { path: '/usr/bin/node', mode: 0o755, content: Buffer.from('#!/bin/sh\necho v20.18.1\n') };
  for (const [stub, version, files] of [['libc', '1.2.5-r4', undefined], ['node', '20.18.1-r1', [node]]] as const) {
    writeFileSync(join(stubs, `${stub}.apk`), buildApk({ info: { name: stub, version, arch: 'noarch' }, files, sourceDateEpoch: SOURCE_DATE_EPOCH }).bytes);
    expect(apk.add([join(stubs, `${stub}.apk`)], { allowUntrusted: true }).exitCode).toBe(0);
  }
  return { root, apk };
}

const procdLog = (root: string) => (existsSync(join(root, 'tmp/procd.log')) ? readFileSync(join(root, 'tmp/procd.log'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\x1f')) : []);

describe('the apk feed installed, upgraded and removed on a device root (apk stand-in)', () => {
  const repository = (label: string) => join(feed(label), 'packages.adb');

  it('installs base and telemetry from the signed index; the service is enabled and started, never stopped', () => {
    const { root, apk } = deviceRoot('device');
    const result = apk.add(['smartgrid-telemetry'], { repository: repository('9.9.9') });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('(1/2) Installing smartgrid-base (9.9.9-r1)');
    expect(result.stdout).toContain('(2/2) Installing smartgrid-telemetry (9.9.9-r1)\n  Executing smartgrid-telemetry-9.9.9-r1.post-install\n');
    expect(readdirSync(join(root, 'etc/rc.d')).sort()).toEqual(['K10smartgrid-telemetry', 'S95smartgrid-telemetry']);
    const calls = procdLog(root).map((fields) => fields[0]);
    expect(calls).toContain('open_instance');
    expect(calls).not.toContain('kill');
  });

  it('an upgrade keeps the edited /etc/config/smartgrid (new default as .apk-new); removal keeps it and drops .apk-new', () => {
    const { root, apk } = deviceRoot('device-upgrade');
    expect(apk.add(['smartgrid-telemetry'], { repository: repository('9.9.9') }).exitCode).toBe(0);
    const config = join(root, 'etc/config/smartgrid');
    const shipped = readFileSync(config, 'utf8');
    writeFileSync(config, `${shipped}\n# edited by the admin\n`);
    build('9.9.10');
    const upgrade = apk.upgrade({ repository: repository('9.9.10') });
    expect(upgrade.stdout).toContain('Upgrading smartgrid-base (9.9.9-r1 -> 9.9.10-r1)\n  Installing file to etc/config/smartgrid.apk-new\n');
    expect(upgrade.stdout).toContain('Executing smartgrid-telemetry-9.9.10-r1.post-upgrade');
    expect(readFileSync(config, 'utf8')).toContain('# edited by the admin');
    expect(readFileSync(`${config}.apk-new`, 'utf8')).toBe(shipped);
    expect(procdLog(root).map((fields) => fields[0])).not.toContain('kill');
    expect(apk.del(['smartgrid-telemetry']).exitCode).toBe(0);
    expect(readFileSync(config, 'utf8')).toContain('# edited by the admin');
    expect(existsSync(`${config}.apk-new`)).toBe(false);
    expect(existsSync(join(root, 'usr/lib/smartgrid'))).toBe(false);
    expect(readdirSync(join(root, 'etc/rc.d'))).toEqual([]);
  });

  it('an unedited config is replaced by the new default without .apk-new', () => {
    const { root, apk } = deviceRoot('device-unedited');
    expect(apk.add(['smartgrid-base'], { repository: repository('9.9.9') }).exitCode).toBe(0);
    expect(apk.upgrade({ repository: repository('9.9.10') }).stdout).not.toContain('.apk-new');
    expect(readdirSync(join(root, 'etc/config'))).toEqual(['smartgrid']);
  });
});

describe('make feed (scripts/make-ipk.mjs feed)', () => {
  it('writes both feeds, their public keys and an index page naming how to use each', () => {
    const out = join(work, 'make-feed');
    const usignKey = join(repoRoot, '../shared/conformance/usign/test-key.sec');
    execFileSync(process.execPath, [join(repoRoot, 'scripts/make-ipk.mjs'), 'feed', '--version', '9.9.9', '--out', out], {
      cwd: repoRoot,
      env: { ...process.env, SOURCE_DATE_EPOCH: String(SOURCE_DATE_EPOCH), SMARTGRID_FEED_KEY: usignKey, SMARTGRID_APK_KEY: join(keys, 'test-only-private-key.pem') },
      stdio: 'pipe',
    });
    expect(readdirSync(out).sort()).toEqual(['apk', 'index.html', 'ipk']);
    expect(readdirSync(join(out, 'ipk'))).toEqual(expect.arrayContaining(['Packages', 'Packages.gz', 'Packages.sig', 'smartgrid-base_9.9.9-r1_all.ipk']));
    expect(readdirSync(join(out, 'apk'))).toEqual(expect.arrayContaining(['packages.adb', 'smartgrid-feed.pem', 'smartgrid-base-9.9.9-r1.apk']));
    expect(verifyIndex(readFileSync(join(out, 'apk/packages.adb')), [trustedKey('smartgrid-feed.pem', publicKeyPem)]).length).toBe(PACKAGES.length + 2);
    const page = readFileSync(join(out, 'index.html'), 'utf8');
    expect(page).toContain('/etc/apk/repositories.d/customfeeds.list');
    expect(page).toContain('/etc/apk/keys/smartgrid-feed.pem');
    expect(page).toContain('77cf95f31650899f76c145bea43dca9c');
    expect(page).toContain('<a href="apk/smartgrid-telemetry-9.9.9-r1.apk">');
    expect(page).toContain('opkg-key add');
  }, 120_000);
});
