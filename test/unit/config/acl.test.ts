import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Grant { ubus?: Record<string, string[]>; uci?: string[] }
const ACL_FILE = new URL('../../../luci-app-smartgrid/root/usr/share/rpcd/acl.d/luci-app-smartgrid.json', import.meta.url);
const acl = (JSON.parse(readFileSync(ACL_FILE, 'utf8')) as Record<string, { read: Grant; write: Grant }>)['luci-app-smartgrid']!;

describe('the LuCI ACL of smartgrid', () => {
  it('lets the read group read only smartgrid; smartgrid_secrets is write-only', () => {
    expect(acl.read.uci).toEqual(['smartgrid']);
    expect(acl.write.uci).toEqual(['smartgrid', 'smartgrid_secrets']);
  });

  it('keeps actions and unmasked identities out of the read group', () => {
    const readMethods = Object.entries(acl.read.ubus ?? {}).flatMap(([object, methods]) => methods.map((method) => `${object}.${method}`));
    for (const method of ['smartgrid.lte.reset', 'smartgrid.lte.identity', 'smartgrid.lte.probe', 'smartgrid.telemetry.set_mode', 'uci.set', 'uci.commit']) {
      expect(readMethods).not.toContain(method);
    }
    expect(acl.write.ubus?.['smartgrid.lte']).toContain('identity');
  });
});
