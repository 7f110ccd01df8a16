// The opkg stand-in's feed side against ../shared/conformance/opkg/C_feed_*.json (the captured feeds'
// own Packages and Packages.sig, served from file:// dirs): update with signature check, list,
// install by name; then our own signed feed: install by name pulls smartgrid-base in as a
// dependency, and an upgrade replaces an unedited conffile but keeps an edited one (-opkg).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { packageSpec, UCI_CONFIG_PATH } from '../../../tools/feed/catalog.js';
import { buildFeed, readIpk } from '../../../tools/feed/feed.js';
import { buildIpk } from '../../../tools/feed/ipk.js';
import { ipkControlScripts } from '../../../tools/feed/openwrt-scripts.js';
import { stagePackage } from '../../../tools/feed/stage.js';
import { parseSecretKey } from '../../../tools/feed/usign.js';
import { installFromFeeds, listAvailable, updateLists } from '../../stand-ins/opkg/feeds.js';
import { OfflineOpkg } from '../../stand-ins/opkg/opkg.js';
import { ensureBundles, repoRoot, SOURCE_DATE_EPOCH } from './feed-build.js';

const conformance = join(repoRoot, '../shared/conformance');
const work = mkdtempSync(join(tmpdir(), 'sg-opkgfeeds-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Step { argv?: string[]; exit_code?: number; stdout?: string; stderr?: string; file?: string; content?: string | null; dir_listing?: string[] }
const steps = (name: string) => JSON.parse(readFileSync(join(conformance, 'opkg', `${name}.json`), 'utf8')) as Step[];
const run = (all: Step[], command: string) => all.find((s) => s.argv?.includes(command))!;

/** A device root trusting the usign test key (opkg-key add: keys/<fingerprint>, C_feeds.json). */
function trustingRoot(name: string): string {
  const root = join(work, name);
  mkdirSync(join(root, 'var/lock'), { recursive: true });
  mkdirSync(join(root, 'etc/opkg/keys'), { recursive: true });
  const keyName = steps('C_feeds').find((s) => s.dir_listing)!.dir_listing![0]!;
  copyFileSync(join(conformance, 'usign/test-key.pub'), join(root, 'etc/opkg/keys', keyName));
  return root;
}

describe('opkg update / list / install against the captured feeds', () => {
  for (const variant of ['good', 'untrusted', 'tampered', 'nosig']) {
    it(`feed-${variant}`, () => {
      const captured = steps(`C_feed_${variant}`);
      const served = (suffix: string) => captured.find((s) => s.file?.endsWith(suffix));
      const feedDir = join(work, `feed-${variant}`);
      mkdirSync(feedDir);
      writeFileSync(join(feedDir, 'Packages.gz'), gzipSync(served('/Packages')!.content!));
      const sig = served('/Packages.sig')!.content;
      if (sig) writeFileSync(join(feedDir, 'Packages.sig'), sig);
      if (variant === 'good') writeFileSync(join(feedDir, 'conftest-hello_1.0.0-r1_all.ipk'), Buffer.from(readFileSync(join(conformance, 'opkg/conftest-hello_1.0.0-r1_all.ipk.hex'), 'utf8').trim(), 'hex'));
      const root = trustingRoot(`root-${variant}`);
      const feeds = [{ name: `conftest_feed_${variant}`, url: `file://${feedDir}` }];
      const paths = (text: string) => text.replaceAll(`/tmp/conftest/rootC_feed-${variant}`, root).replaceAll(`/tmp/conftest/feed-${variant}`, feedDir);

      const update = run(captured, 'update');
      expect(updateLists(root, feeds, true)).toEqual({ exitCode: update.exit_code, stdout: paths(update.stdout!), stderr: paths(update.stderr!) });
      expect(readdirSync(join(root, 'var/opkg-lists')).sort()).toEqual(served('var/opkg-lists')!.dir_listing);
      expect(listAvailable(root, feeds)).toBe(run(captured, 'list').stdout);
      const opkg = new OfflineOpkg(root);
      if (variant !== 'good') {
        const install = run(captured, 'install');
        expect(installFromFeeds(opkg, feeds, ['conftest-world'])).toEqual({ exitCode: install.exit_code, stdout: install.stdout, stderr: install.stderr });
      } else {
        const result = installFromFeeds(opkg, feeds, ['conftest-hello']);
        expect(result.stdout).toBe(`Installing conftest-hello (1.0.0-r1) to root...\nDownloading file://${feedDir}/conftest-hello_1.0.0-r1_all.ipk\nConfiguring conftest-hello.\n`);
        expect(opkg.status().find((s) => s.get('Package') === 'conftest-hello')!.get('Status')).toBe('install user installed');
      }
    });
  }
});

describe('our signed feed through opkg update and install', () => {
  const testKey = parseSecretKey(readFileSync(join(conformance, 'usign/test-key.sec'), 'utf8'));
  const feedOf = (version: string) => {
    const outDir = join(work, `smartgrid-${version}`);
    buildFeed({ repoRoot, outDir, version, release: 1, sourceDateEpoch: SOURCE_DATE_EPOCH, secretKey: testKey, only: ['smartgrid-base', 'smartgrid-telemetry'] });
    return [{ name: 'smartgrid', url: `file://${outDir}` }];
  };
  const system = (root: string) => writeFileSync(join(root, 'usr/lib/opkg/status'), ['libc', 'node'].map((p) => `Package: ${p}\nVersion: v20.18.1-1\nStatus: install ok installed\nArchitecture: x86_64\nInstalled-Time: 1\n\n`).join(''));

  it('install by name pulls smartgrid-base in as an auto-installed dependency', () => {
    ensureBundles();
    const root = trustingRoot('ours');
    mkdirSync(join(root, 'usr/lib/opkg'), { recursive: true });
    system(root);
    const feeds = feedOf('9.9.9');
    expect(updateLists(root, feeds, true).stdout).toContain('Signature check passed.');
    const opkg = new OfflineOpkg(root);
    const result = installFromFeeds(opkg, feeds, ['smartgrid-telemetry']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Installing smartgrid-telemetry \(9\.9\.9-r1\) to root\.\.\.\nDownloading .*\nInstalling smartgrid-base \(9\.9\.9-r1\) to root\.\.\.\nDownloading .*\nConfiguring smartgrid-base\.\nConfiguring smartgrid-telemetry\.\n$/);
    const base = opkg.status().find((s) => s.get('Package') === 'smartgrid-base')!;
    expect([base.get('Status'), base.get('Auto-Installed')]).toEqual(['install ok installed', 'yes']);
    expect(existsSync(join(root, 'usr/lib/opkg/info/smartgrid-telemetry.postinst-pkg'))).toBe(true);
  }, 120_000);

  /** smartgrid-base 9.9.10 whose default config differs from 9.9.9's (a new default option). */
  function baseWithNewDefault(v1: string): string {
    const spec = packageSpec('smartgrid-base');
    const staged = stagePackage(spec, { repoRoot });
    const files = staged.files.map((f) => (f.path === UCI_CONFIG_PATH ? { ...f, content: Buffer.concat([f.content, Buffer.from('# new default in 9.9.10\n')]) } : f));
    const control = readIpk(v1).control.replace('Version: 9.9.9-r1', 'Version: 9.9.10-r1');
    const built = buildIpk({ control: (size) => control.replace(/Installed-Size: \d+/, `Installed-Size: ${size}`), files, conffiles: spec.conffiles, scripts: ipkControlScripts(staged.scripts), sourceDateEpoch: SOURCE_DATE_EPOCH });
    const path = join(work, 'smartgrid-base_9.9.10-r1_all.ipk');
    writeFileSync(path, built.bytes);
    return path;
  }

  it('an upgrade replaces an unedited /etc/config/smartgrid and keeps an edited one, new default as -opkg', () => {
    const config = (root: string) => join(root, 'etc/config/smartgrid');
    const v1 = join(work, 'smartgrid-9.9.9', 'smartgrid-base_9.9.9-r1_all.ipk');
    const v2 = baseWithNewDefault(v1);
    for (const edited of [false, true]) {
      const root = trustingRoot(`upgrade-${edited}`);
      mkdirSync(join(root, 'usr/lib/opkg'), { recursive: true });
      system(root);
      const opkg = new OfflineOpkg(root);
      expect(opkg.install([v1]).exitCode).toBe(0);
      const shipped = readFileSync(config(root), 'utf8');
      if (edited) writeFileSync(config(root), `${shipped}# edited\n`);
      const upgrade = opkg.install([v2]);
      expect(upgrade.exitCode).toBe(0);
      expect(existsSync(`${config(root)}-opkg`)).toBe(edited);
      expect(upgrade.stderr.includes('resolve_conffiles')).toBe(edited);
      expect(readFileSync(config(root), 'utf8')).toBe(edited ? `${shipped}# edited\n` : `${shipped}# new default in 9.9.10\n`);
    }
  });
});
