// The smartgrid-base uci-defaults script that moves secrets out of the readable config, run by
// busybox sh (as on the device) with the uci stand-in on PATH.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UciSectionSource } from '../../../src/lib/config/uci-source.js';
import { SECTION_SCHEMAS } from '../../../src/lib/config/schemas/index.js';
import { SERVICES } from '../../../tools/feed/catalog.js';
import { requireTool } from '../../helpers/tools.js';

const repo = new URL('../../../', import.meta.url).pathname;
const SCRIPT = join(repo, 'package/smartgrid-base/files/etc/uci-defaults/90-smartgrid-secrets');
const dirs: string[] = [];
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

const LEGACY = `
config thread 'thread'
\toption enabled '1'
\toption network_key '00112233445566778899aabbccddeeff'

config halow 'halow'
\toption sae_password 'sae pass with spaces'

config lte 'lte'
\toption poll_interval '7'

config telemetry 'telemetry'
\toption broker_username 'fw'
\toption broker_password 'it''s-secret'
\toption upstream_access_token 'tb-token'
`.replace("it''s", "it'\\''s");

function runMigration(dir: string): void {
  requireTool('busybox');
  execFileSync('busybox', ['sh', SCRIPT], {
    env: { ...process.env, PATH: `${join(repo, 'test/stand-ins/uci')}:${process.env.PATH ?? ''}`, SMARTGRID_UCI_DIR: dir, UCI_STANDIN_DEFAULT_SAVEDIR: join(dir, '.uci') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('90-smartgrid-secrets (uci-defaults of smartgrid-base)', () => {
  it('moves every secret into smartgrid_secrets (0600), keeps the rest, and is idempotent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-secrets-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'smartgrid'), LEGACY);
    chmodSync(join(dir, 'smartgrid'), 0o644);
    runMigration(dir);
    const readable = readFileSync(join(dir, 'smartgrid'), 'utf8');
    const secrets = readFileSync(join(dir, 'smartgrid_secrets'), 'utf8');
    for (const value of ['00112233445566778899aabbccddeeff', 'sae pass with spaces', 'tb-token', 'secret']) {
      expect(readable).not.toContain(value);
      expect(secrets).toContain(value);
    }
    expect(readable).toContain("option poll_interval '7'");
    expect(readable).toContain("option broker_username 'fw'");
    expect(statSync(join(dir, 'smartgrid_secrets')).mode & 0o777).toBe(0o600);
    for (const section of SERVICES) expect(secrets).toContain(`config ${section} '${section}'`);
    const telemetry = await new UciSectionSource<Record<string, unknown>>({ section: 'telemetry', schema: SECTION_SCHEMAS.telemetry!, configDir: dir }).load();
    expect(telemetry.ok && [telemetry.config.broker_password, telemetry.config.upstream_access_token]).toEqual(["it's-secret", 'tb-token']);
    runMigration(dir);
    expect([readFileSync(join(dir, 'smartgrid'), 'utf8'), readFileSync(join(dir, 'smartgrid_secrets'), 'utf8')]).toEqual([readable, secrets]);
  });

  it('lists exactly the x-secret options of the schemas and every service section', () => {
    const script = readFileSync(SCRIPT, 'utf8');
    const moved = /for entry in ([^;]+); do/.exec(script)![1]!.trim().split(/\s+/).sort();
    const marked = Object.entries(SECTION_SCHEMAS).flatMap(([section, schema]) =>
      Object.entries(schema.properties).filter(([, option]) => option['x-secret']).map(([option]) => `${section}.${option}`)).sort();
    expect(moved).toEqual(marked);
    expect(/for section in ([^;]+); do/.exec(script)![1]!.trim().split(/\s+/).sort()).toEqual([...SERVICES].sort());
  });
});

describe('package/smartgrid-base/test.sh mode check (busybox, no stat)', () => {
  const TEST_SH = join(repo, 'package/smartgrid-base/test.sh');
  /** PATH holds busybox's `sh` and `ls` applets only: no coreutils, no `stat`, as on a stock image. */
  const ownerOnly = (file: string, bin: string): boolean => {
    try {
      execFileSync(join(bin, 'sh'), ['-c', `. '${TEST_SH}'; owner_only "$1"`, 'sh', file], { stdio: 'pipe', env: { PATH: bin } });
      return true;
    } catch {
      return false;
    }
  };

  it('passes a 0600 file and fails a readable or missing one, with busybox applets only', () => {
    requireTool('busybox');
    const dir = mkdtempSync(join(tmpdir(), 'sg-testsh-'));
    dirs.push(dir);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const busybox = execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim();
    for (const applet of ['sh', 'ls']) symlinkSync(busybox, join(bin, applet));
    const file = join(dir, 'smartgrid_secrets');
    writeFileSync(file, '');
    chmodSync(file, 0o600);
    expect(ownerOnly(file, bin)).toBe(true);
    for (const mode of [0o644, 0o640, 0o604, 0o700]) {
      chmodSync(file, mode);
      expect(ownerOnly(file, bin), mode.toString(8)).toBe(false);
    }
    expect(ownerOnly(join(dir, 'missing'), bin)).toBe(false);
  });
});
