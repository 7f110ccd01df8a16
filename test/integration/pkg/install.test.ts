// Installing and removing any subset of the feed into an offline root (opkg stand-in) never
// clobbers /etc/config/smartgrid: only smartgrid-base owns it, as a conffile.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeed } from '../../../tools/feed/feed.js';
import { parseSecretKey } from '../../../tools/feed/usign.js';
import { OfflineOpkg } from '../../stand-ins/opkg/opkg.js';
import { requireTool } from '../../helpers/tools.js';
import { ensureBundles, repoRoot, SOURCE_DATE_EPOCH } from './feed-build.js';

const work = mkdtempSync(join(tmpdir(), 'sg-install-'));
const feed = join(work, 'feed');
const ipk: Record<string, string> = {};
// The published conformance TEST key: fine for a throw-away test feed, never for a real one.
const testKey = readFileSync(join(repoRoot, '../shared/conformance/usign/test-key.sec'), 'utf8');

beforeAll(() => {
  ensureBundles();
  const result = buildFeed({ repoRoot, outDir: feed, version: '9.9.9', release: 1, sourceDateEpoch: SOURCE_DATE_EPOCH, secretKey: parseSecretKey(testKey) });
  for (const pkg of result.packages) ipk[pkg.name] = join(feed, pkg.filename);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** An offline root whose base system already has what our packages depend on. */
function freshRoot(name: string): { root: string; opkg: OfflineOpkg } {
  const root = join(work, name);
  mkdirSync(join(root, 'var/lock'), { recursive: true });
  mkdirSync(join(root, 'usr/lib/opkg'), { recursive: true });
  const system = ['libc', 'node', 'luci-base', 'rpcd', 'openthread-br', 'coreutils-stty', 'prometheus-node-exporter-lua', 'libubus-lua'];
  writeFileSync(join(root, 'usr/lib/opkg/status'), system.map((p) => `Package: ${p}\nVersion: 1\nStatus: install ok installed\nArchitecture: x86_64\nInstalled-Time: 1\n\n`).join(''));
  return { root, opkg: new OfflineOpkg(root) };
}

const config = (root: string) => join(root, 'etc/config/smartgrid');
const installed = (opkg: OfflineOpkg) => opkg.status().map((s) => s.get('Package')).filter((p) => p?.includes('smartgrid')).sort();

describe('offline install and removal of the feed', () => {
  it('refuses a service without smartgrid-base and writes nothing', () => {
    const { root, opkg } = freshRoot('no-base');
    const result = opkg.install([ipk['smartgrid-telemetry']!]);
    expect(result.exitCode).toBe(255);
    expect(result.stderr).toContain('smartgrid-base');
    expect(existsSync(config(root))).toBe(false);
  });

  it('installs every package in one go without file clashes', () => {
    const { root, opkg } = freshRoot('all');
    const result = opkg.install(Object.values(ipk));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(installed(opkg)).toEqual(Object.keys(ipk).sort());
    expect(statSync(config(root)).mode & 0o777).toBe(0o600);
    for (const service of ['thread', 'halow', 'lte', 'telemetry']) {
      expect(statSync(join(root, `etc/init.d/smartgrid-${service}`)).mode & 0o777).toBe(0o755);
      expect(statSync(join(root, `usr/lib/smartgrid/smartgrid-${service}.js`)).mode & 0o777).toBe(0o755);
      expect(readFileSync(join(root, `usr/lib/opkg/info/smartgrid-${service}.list`), 'utf8')).not.toContain('/etc/config/smartgrid');
    }
    expect(readFileSync(join(root, 'usr/lib/opkg/info/smartgrid-base.conffiles'), 'utf8')).toBe('/etc/config/smartgrid\n/etc/config/smartgrid_secrets\n');
    const base = opkg.status().find((s) => s.get('Package') === 'smartgrid-base')!;
    expect(base.get('Conffiles')).toMatch(/^\n \/etc\/config\/smartgrid [0-9a-f]{64}\n \/etc\/config\/smartgrid_secrets [0-9a-f]{64}$/);
  });

  it('installs the HaLow planner as the command smartgrid-halow plan, which never starts the daemon', () => {
    const { root, opkg } = freshRoot('command');
    expect(opkg.install([ipk['smartgrid-base']!, ipk['smartgrid-halow']!]).exitCode).toBe(0);
    const command = join(root, 'usr/bin/smartgrid-halow');
    expect(statSync(command).mode & 0o777).toBe(0o755);
    writeFileSync(join(work, 'points.csv'), 'id,lat,lon\nm1,40.4168,-3.7038\nm2,40.4170,-3.7030\n');
    writeFileSync(join(work, 'poles.csv'), 'id,lat,lon\np1,40.4169,-3.7034\n');
    requireTool('sh');
    const plan = spawnSync('sh', [command, 'plan', '--points', join(work, 'points.csv'), '--candidates', join(work, 'poles.csv'), '--radius', '500', '--capacity', '8'], { encoding: 'utf8' });
    expect(plan.status, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ sites: [expect.objectContaining({ id: 'p1' })] });
    const bare = spawnSync('sh', [command], { encoding: 'utf8', timeout: 60_000 });
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('usage: smartgrid-halow plan ...');
  });

  it('keeps an edited config through installing, removing and reinstalling services and base', () => {
    const { root, opkg } = freshRoot('subsets');
    expect(opkg.install([ipk['smartgrid-base']!, ipk['smartgrid-telemetry']!]).exitCode).toBe(0);
    const edited = `${readFileSync(config(root), 'utf8')}config extra 'admin'\n\toption note 'edited by the admin'\n\n`;
    writeFileSync(config(root), edited);

    expect(opkg.install([ipk['smartgrid-lte']!, ipk['smartgrid-thread']!, ipk['smartgrid-halow']!, ipk['luci-app-smartgrid']!]).exitCode).toBe(0);
    expect(readFileSync(config(root), 'utf8')).toBe(edited);

    for (const name of ['smartgrid-telemetry', 'smartgrid-lte']) {
      expect(opkg.remove(name).exitCode).toBe(0);
      expect(readFileSync(config(root), 'utf8')).toBe(edited);
    }
    expect(existsSync(join(root, 'usr/lib/smartgrid/smartgrid-telemetry.js'))).toBe(false);
    expect(existsSync(join(root, 'etc/init.d/smartgrid-lte'))).toBe(false);

    const refused = opkg.remove('smartgrid-base');
    expect(refused.exitCode).toBe(255);
    expect(refused.stderr).toContain('smartgrid-thread');
    expect(readFileSync(config(root), 'utf8')).toBe(edited);

    for (const name of ['smartgrid-thread', 'smartgrid-halow', 'luci-app-smartgrid']) expect(opkg.remove(name).exitCode).toBe(0);
    const removal = opkg.remove('smartgrid-base');
    expect(removal.stdout).toContain(`Not deleting modified conffile ${root}/etc/config/smartgrid.`);
    expect(readFileSync(config(root), 'utf8')).toBe(edited);

    const reinstall = opkg.install([ipk['smartgrid-base']!, ipk['smartgrid-telemetry']!]);
    expect(reinstall.exitCode).toBe(0);
    expect(reinstall.stderr).toContain('The new conffile will be placed at');
    expect(readFileSync(config(root), 'utf8')).toBe(edited);
    expect(existsSync(`${config(root)}-opkg`)).toBe(true);
  });

  it('removes an untouched default config together with smartgrid-base, as opkg does', () => {
    const { root, opkg } = freshRoot('untouched');
    expect(opkg.install([ipk['smartgrid-base']!]).exitCode).toBe(0);
    expect(opkg.remove('smartgrid-base').exitCode).toBe(0);
    expect(existsSync(config(root))).toBe(false);
  });
});

describe('the opkg stand-in against the captured opkg (A_offline_install.json)', () => {
  const captured = JSON.parse(readFileSync(join(repoRoot, '../shared/conformance/opkg/A_offline_install.json'), 'utf8')) as Array<{
    argv?: string[]; stdout?: string; file?: string; content?: string; dir_listing?: string[];
  }>;
  const snapshot = (suffix: string) => captured.find((step) => step.file?.endsWith(suffix))!;
  const sampleIpk = join(work, 'conftest-hello_1.0.0-r1_all.ipk');

  it('writes the same status, info files and output for conftest-hello', () => {
    writeFileSync(sampleIpk, Buffer.from(readFileSync(join(repoRoot, '../shared/conformance/opkg/conftest-hello_1.0.0-r1_all.ipk.hex'), 'utf8').trim(), 'hex'));
    const root = join(work, 'rootA');
    mkdirSync(join(root, 'var/lock'), { recursive: true });
    const opkg = new OfflineOpkg(root);
    const result = opkg.install([sampleIpk]);
    expect(result.stdout).toBe(captured[1]!.stdout);
    const withoutTime = (text: string) => text.replace(/^Installed-Time: \d+$/m, 'Installed-Time: T');
    expect(withoutTime(readFileSync(join(root, 'usr/lib/opkg/status'), 'utf8'))).toBe(withoutTime(snapshot('rootA/usr/lib/opkg/status').content!));
    const info = join(root, 'usr/lib/opkg/info');
    expect(readFileSync(join(info, 'conftest-hello.control'), 'utf8')).toBe(snapshot('conftest-hello.control').content);
    expect(readFileSync(join(info, 'conftest-hello.list'), 'utf8')).toBe(snapshot('conftest-hello.list').content);
    expect(readFileSync(join(info, 'conftest-hello.conffiles'), 'utf8')).toBe(snapshot('conftest-hello.conffiles').content);
    expect(opkg.install([sampleIpk]).stdout).toBe('Package conftest-hello (1.0.0-r1) installed in root is up to date.\n');
  });

  it('needs var/lock in the offline root, like opkg', () => {
    const root = join(work, 'no-lock');
    mkdirSync(root, { recursive: true });
    const result = new OfflineOpkg(root).install([sampleIpk]);
    expect(result.exitCode).toBe(255);
    expect(result.stderr).toContain(`Could not create lock file ${root}/var/lock/opkg.lock`);
  });
});
