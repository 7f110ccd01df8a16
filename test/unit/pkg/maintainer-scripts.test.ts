// postinst/prerm in an image build (IPKG_INSTROOT set): only the /etc/rc.d links change, through
// the root's rc.common, as OpenWrt's default_postinst/default_prerm do.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageSpec } from '../../../tools/feed/catalog.js';
import { renderInitScript, renderLuciPostinst, renderServicePostinst, renderServicePrerm } from '../../../tools/feed/scripts.js';

const work = mkdtempSync(join(tmpdir(), 'sg-maint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function imageRoot(name: string): string {
  const root = join(work, name);
  mkdirSync(join(root, 'etc/init.d'), { recursive: true });
  mkdirSync(join(root, 'etc/rc.d'), { recursive: true });
  copyFileSync(join(__dirname, '../../stand-ins/procd/rc.common'), join(root, 'etc/rc.common'));
  writeFileSync(join(root, 'etc/init.d/smartgrid-lte'), renderInitScript(packageSpec('smartgrid-lte')), { mode: 0o755 });
  return root;
}

function runScript(text: string, env: Record<string, string>): number {
  const path = join(work, `script-${Math.random().toString(16).slice(2)}`);
  writeFileSync(path, text, { mode: 0o755 });
  return spawnSync('sh', [path, 'configure'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PROCD_STANDIN_LOG: join(work, 'log'), ...env } }).status ?? -1;
}

describe('maintainer scripts in an image build', () => {
  const spec = packageSpec('smartgrid-lte');

  it('postinst enables the service (rc.d links), prerm disables it', () => {
    const root = imageRoot('image');
    expect(runScript(renderServicePostinst(spec), { IPKG_INSTROOT: root })).toBe(0);
    expect(readdirSync(join(root, 'etc/rc.d')).sort()).toEqual(['K10smartgrid-lte', 'S95smartgrid-lte']);
    expect(runScript(renderServicePrerm(spec), { IPKG_INSTROOT: root })).toBe(0);
    expect(readdirSync(join(root, 'etc/rc.d'))).toEqual([]);
  });

  it('postinst does nothing with IPKG_NO_SCRIPT=1', () => {
    const root = imageRoot('no-script');
    expect(runScript(renderServicePostinst(spec), { IPKG_INSTROOT: root, IPKG_NO_SCRIPT: '1' })).toBe(0);
    expect(readdirSync(join(root, 'etc/rc.d'))).toEqual([]);
  });

  it('the LuCI postinst runs uci-defaults only on a live system and passes sh -n', () => {
    const text = renderLuciPostinst(['90_smartgrid']);
    expect(text).toContain('( . /etc/uci-defaults/90_smartgrid ) && rm -f /etc/uci-defaults/90_smartgrid');
    expect(runScript(text, { IPKG_INSTROOT: join(work, 'image') })).toBe(0);
    expect(spawnSync('sh', ['-n', '-c', text]).status).toBe(0);
  });
});
