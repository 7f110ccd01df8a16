// `make ipk` end to end: every ipk unpacked with the system tar and checked, the index and its
// signature checked (also independently with openssl), and a second build compared byte for byte.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_MIN_MAJOR, PACKAGES, SERVICES } from '../../../tools/feed/catalog.js';
import { translationLanguages, translationSpec } from '../../../tools/feed/i18n.js';
import { parseControl } from '../../../tools/feed/control.js';
import { fingerprintHex, parseSecretKey, verifyWithKeyDir } from '../../../tools/feed/usign.js';
import { runInitScript } from '../../stand-ins/procd/procd.js';
import { ensureBundles, generateKey, makeIpk, repoRoot, SOURCE_DATE_EPOCH } from './feed-build.js';

const members = JSON.parse(readFileSync(join(repoRoot, '../shared/conformance/opkg/ipk-members.json'), 'utf8')) as Record<string, Record<string, string>>;
const sampleOuter = members['conftest-hello_1.0.0-r1_all.ipk']!['outer: tar -tvzf']!;
const ALL = [...PACKAGES, ...translationLanguages(repoRoot).map(translationSpec)];
const work = mkdtempSync(join(tmpdir(), 'sg-feed-'));
const feed = join(work, 'feed');
const feedAgain = join(work, 'feed-again');
let keyPath = '';
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const date = new Date(SOURCE_DATE_EPOCH * 1000).toISOString().slice(0, 16).replace('T', ' ');

beforeAll(() => {
  ensureBundles();
  keyPath = generateKey(join(work, 'keys'));
  makeIpk(feed, { SMARTGRID_FEED_KEY: keyPath, TZ: 'UTC' });
  makeIpk(feedAgain, { SMARTGRID_FEED_KEY: keyPath, TZ: 'UTC' });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const tar = (args: string[], cwd?: string) => execFileSync('tar', args, { cwd, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
/** `tar -tvzf` lines as [mode, owner, size, path]. */
function listing(text: string): Array<[string, string, number, string]> {
  return text.split('\n').filter(Boolean).map((line) => {
    const match = /^(\S{10}) (\d+\/\d+)\s+(\d+) (\d{4}-\d\d-\d\d \d\d:\d\d) (\S+)$/.exec(line);
    if (!match) throw new Error(`unexpected tar listing line: ${line}`);
    expect(match[4]).toBe(date);
    return [match[1]!, match[2]!, Number(match[3]), match[5]!];
  });
}

describe('make ipk output', () => {
  it('builds one ipk per catalog package, the index, its signature and the fingerprint-named key', () => {
    const fingerprint = fingerprintHex(parseSecretKey(readFileSync(keyPath, 'utf8')).fingerprint);
    expect(readdirSync(feed).sort()).toEqual(
      [...ALL.map((spec) => `${spec.name}_${version}-r1_all.ipk`), 'Packages', 'Packages.gz', 'Packages.sig', fingerprint].sort(),
    );
    expect(readFileSync(join(feed, fingerprint), 'utf8')).toBe(readFileSync(join(work, 'keys', 'smartgrid-feed.pub'), 'utf8').replace(/^untrusted comment: .*$/m, `untrusted comment: public key ${fingerprint}`));
  });

  it('is reproducible: a second build is byte-identical', () => {
    for (const name of readdirSync(feed)) {
      expect(readFileSync(join(feedAgain, name)).equals(readFileSync(join(feed, name))), name).toBe(true);
    }
  });

  for (const spec of ALL) {
    describe(spec.name, () => {
      const file = () => join(feed, `${spec.name}_${version}-r1_all.ipk`);
      const unpacked = () => {
        const dir = join(work, `unpacked-${spec.name}`);
        mkdirSync(join(dir, 'control'), { recursive: true });
        mkdirSync(join(dir, 'data'), { recursive: true });
        tar(['-xzf', file()], dir);
        tar(['-xzf', join(dir, 'control.tar.gz'), '-C', join(dir, 'control')]);
        tar(['-xzf', join(dir, 'data.tar.gz'), '-C', join(dir, 'data')]);
        return dir;
      };

      it('is a gzip\'d tar of debian-binary, data.tar.gz, control.tar.gz listed like the conformance ipk', () => {
        const outer = listing(tar(['-tvzf', file()]));
        expect(outer.map((entry) => entry[3])).toEqual(listing(sampleOuter.replace(/1970-01-01 00:00/g, date)).map((entry) => entry[3]));
        expect(outer.every(([mode, owner]) => mode === '-rw-r--r--' && owner === '0/0')).toBe(true);
        expect(readFileSync(join(unpacked(), 'debian-binary'), 'utf8')).toBe('2.0\n');
      });

      it('has the control fields in order, with Installed-Size the size of the data tar', () => {
        const dir = unpacked();
        const controlText = readFileSync(join(dir, 'control', 'control'), 'utf8');
        const fields = parseControl(controlText);
        expect([...fields.keys()]).toEqual([
          'Package', 'Version', 'Depends', 'Source', 'SourceName', 'License', 'Section', 'SourceDateEpoch', 'Maintainer', 'Architecture',
          'Installed-Size', 'Description',
        ]);
        expect(fields.get('Package')).toBe(spec.name);
        expect(fields.get('Version')).toBe(`${version}-r1`);
        expect(fields.get('Depends')).toBe(['libc', ...spec.depends].map((d) => (d === 'node' ? `node (>= v${NODE_MIN_MAJOR})` : d)).join(', '));
        expect(fields.get('Architecture')).toBe('all');
        expect(fields.get('License')).toBe('Apache-2.0');
        expect(fields.get('Section')).toBe(spec.section);
        expect(fields.get('SourceDateEpoch')).toBe(String(SOURCE_DATE_EPOCH));
        expect(fields.get('Description')!.split('\n')[0]).toBe(spec.description.split('\n')[0]);
        const dataTarSize = gunzipSync(readFileSync(join(dir, 'data.tar.gz'))).length;
        expect(Number(fields.get('Installed-Size'))).toBe(dataTarSize);
        const controlList = listing(tar(['-tvzf', join(dir, 'control.tar.gz')]));
        expect(controlList[0]).toEqual(['drwxr-xr-x', '0/0', 0, './']);
        expect(controlList.map((entry) => entry[3])).toEqual([...controlList.map((entry) => entry[3])].sort());
        for (const [mode, owner, , path] of controlList.slice(1)) {
          expect(owner).toBe('0/0');
          expect(mode, path).toBe(['./control', './conffiles'].includes(path) ? '-rw-r--r--' : '-rwxr-xr-x');
        }
      });

      it('lists its conffiles, and only smartgrid-base owns /etc/config/smartgrid', () => {
        const dir = unpacked();
        const conffiles = spec.conffiles.length ? readFileSync(join(dir, 'control', 'conffiles'), 'utf8') : '';
        expect(conffiles).toBe(spec.conffiles.map((path) => `${path}\n`).join(''));
        const data = listing(tar(['-tvzf', join(dir, 'data.tar.gz')]));
        expect(data.some((entry) => entry[3] === './etc/config/smartgrid')).toBe(spec.name === 'smartgrid-base');
      });

      it('has the expected file modes, owners 0/0 and maintainer scripts that pass sh -n', () => {
        const dir = unpacked();
        const data = listing(tar(['-tvzf', join(dir, 'data.tar.gz')]));
        expect(data[0]).toEqual(['drwxr-xr-x', '0/0', 0, './']);
        for (const [mode, owner, , path] of data) {
          expect(owner).toBe('0/0');
          if (path.endsWith('/')) expect(mode).toBe('drwxr-xr-x');
          else if (path === './etc/config/smartgrid' || path === './etc/config/smartgrid_secrets') expect(mode, path).toBe('-rw-------');
          else if (path === './etc/uci-defaults/90-smartgrid-secrets') expect(mode, path).toBe('-rwxr-xr-x');
          else if (/^\.\/(etc\/init\.d|usr\/lib\/smartgrid|usr\/s?bin)\//.test(path)) expect(mode, path).toBe('-rwxr-xr-x');
          else if (spec.kind !== 'luci') expect(mode, path).toBe('-rw-r--r--');
        }
        for (const script of ['postinst', 'prerm', 'postrm', 'preinst']) {
          const path = join(dir, 'control', script);
          if (spec.kind === 'service' && (script === 'postinst' || script === 'prerm')) expect(statSync(path).isFile()).toBe(true);
          try { statSync(path); } catch { continue; }
          expect(spawnSync('sh', ['-n', path]).status, script).toBe(0);
        }
        if (spec.service) {
          const init = join(dir, 'data', 'etc', 'init.d', spec.name);
          expect(spawnSync('sh', ['-n', init]).status).toBe(0);
          expect(readFileSync(join(dir, 'data', 'usr', 'lib', 'smartgrid', `${spec.name}.js`)).equals(readFileSync(join(repoRoot, 'build', 'bundles', `${spec.name}.js`)))).toBe(true);
          const uciDir = join(work, 'uci');
          mkdirSync(uciDir, { recursive: true });
          writeFileSync(join(uciDir, 'smartgrid'), '\nconfig x\n');
          const run = runInitScript({ script: init, action: 'start', uciDir });
          expect(Object.keys(run.messages[0]!.body.instances as object)).toEqual(['instance1']);
        }
      });
    });
  }

  it('ships a default /etc/config/smartgrid in uci commit form with one named section per service', () => {
    const dir = join(work, 'unpacked-smartgrid-base', 'data');
    const config = readFileSync(join(dir, 'etc', 'config', 'smartgrid'), 'utf8');
    expect(config.startsWith('\nconfig ')).toBe(true);
    for (const service of SERVICES) expect(config).toContain(`config ${service} '${service}'\n\toption enabled '1'\n`);
    const schemas = readdirSync(join(dir, 'usr', 'share', 'smartgrid', 'schemas')).sort();
    expect(schemas).toEqual(readdirSync(join(repoRoot, 'src', 'lib', 'config', 'schemas')).filter((f) => f.endsWith('.schema.json')).sort());
  });

  it('indexes every ipk like ipkg-make-index.sh and signs the uncompressed index', () => {
    const index = readFileSync(join(feed, 'Packages'));
    expect(gunzipSync(readFileSync(join(feed, 'Packages.gz'))).equals(index)).toBe(true);
    const stanzas = index.toString('utf8').split('\n\n').filter(Boolean).map(parseControl);
    expect(stanzas.map((s) => s.get('Filename'))).toEqual(readdirSync(feed).filter((f) => f.endsWith('.ipk')).sort());
    for (const stanza of stanzas) {
      const bytes = readFileSync(join(feed, stanza.get('Filename')!));
      expect(Number(stanza.get('Size'))).toBe(bytes.length);
      expect(stanza.get('SHA256sum')).toBe(createHash('sha256').update(bytes).digest('hex'));
      const keys = [...stanza.keys()];
      expect(keys.indexOf('SHA256sum') + 1).toBe(keys.indexOf('Description'));
    }
    const verdict = verifyWithKeyDir(index, readFileSync(join(feed, 'Packages.sig'), 'utf8'), feed, (path) => {
      try { return readFileSync(path, 'utf8'); } catch { return undefined; }
    });
    expect(verdict).toEqual({ ok: true, message: 'OK' });
    const tampered = Buffer.from(index.toString('utf8').replace(`Version: ${version}-r1`, `Version: ${version}-r2`));
    expect(verifyWithKeyDir(tampered, readFileSync(join(feed, 'Packages.sig'), 'utf8'), feed, (path) => readFileSync(path, 'utf8')).ok).toBe(false);
  });

  it('has a signature that OpenSSL verifies independently', () => {
    const sigRaw = Buffer.from(readFileSync(join(feed, 'Packages.sig'), 'utf8').split('\n')[1]!, 'base64');
    const keyFile = readdirSync(feed).find((f) => /^[0-9a-f]{16}$/.test(f))!;
    const pubRaw = Buffer.from(readFileSync(join(feed, keyFile), 'utf8').split('\n')[1]!, 'base64');
    expect(sigRaw.subarray(2, 10).toString('hex')).toBe(keyFile);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pubRaw.subarray(10)]);
    writeFileSync(join(work, 'pub.pem'), `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----\n`);
    writeFileSync(join(work, 'sig.bin'), sigRaw.subarray(10));
    const ok = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(work, 'pub.pem'), '-rawin', '-in', join(feed, 'Packages'), '-sigfile', join(work, 'sig.bin')], { encoding: 'utf8' });
    expect(ok.stdout).toContain('Signature Verified Successfully');
  });

  it('without SMARTGRID_FEED_KEY signs with a throw-away key and says so loudly', () => {
    const out = join(work, 'feed-throwaway');
    const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'make-ipk.mjs'), '--out', out, '--only', 'smartgrid-base'], {
      cwd: repoRoot, encoding: 'utf8', env: { ...process.env, SMARTGRID_FEED_KEY: '', SOURCE_DATE_EPOCH: String(SOURCE_DATE_EPOCH) },
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/THROW-AWAY key[\s\S]*NOT for production/);
    expect(readdirSync(out)).toContain('Packages.sig');
  });
});

describe('LuCI translations', () => {
  it('packages one luci-i18n-smartgrid-<lang> per po/ language, as luci.mk does', () => {
    for (const lang of translationLanguages(repoRoot)) {
      const dir = join(work, `unpacked-luci-i18n-smartgrid-${lang}`, 'data');
      const defaults = readFileSync(join(dir, 'etc', 'uci-defaults', `luci-i18n-smartgrid-${lang}`), 'utf8');
      expect(defaults).toMatch(new RegExp(`^uci set luci\\.languages\\.${lang.replace(/-/g, '_')}='.+'; uci commit luci\\n$`));
    }
  });
});
