import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEP2_ACL, SEP2_METHODS, SEP2_OBJECT } from '../../../src/sep2/contract.js';
import { packageSpec, SEP2_NODE_FLAGS } from '../../../tools/feed/catalog.js';

const root = new URL('../../..', import.meta.url).pathname;
const json = (path: string) => JSON.parse(readFileSync(`${root}${path}`, 'utf8'));

describe('smartgrid.sep2 contract', () => {
  it('the rpcd ACL grants exactly the contract\'s read and write methods', () => {
    const acl = json('luci-app-smartgrid/root/usr/share/rpcd/acl.d/luci-app-smartgrid.json')['luci-app-smartgrid'];
    expect(acl.read.ubus[SEP2_OBJECT]).toEqual([...SEP2_ACL.read]);
    expect(acl.write.ubus[SEP2_OBJECT]).toEqual([...SEP2_ACL.write]);
    const published = ['status', 'reload', ...Object.keys(SEP2_METHODS)];
    for (const method of [...SEP2_ACL.read, ...SEP2_ACL.write]) expect(published).toContain(method);
  });

  it('the menu shows the page only when the package is installed; the package runs with its node flags', () => {
    const menu = json('luci-app-smartgrid/root/usr/share/luci/menu.d/luci-app-smartgrid.json')['admin/services/smartgrid/sep2'];
    expect(menu.action).toEqual({ type: 'view', path: 'smartgrid/sep2' });
    expect(menu.depends.fs).toEqual({ '/usr/lib/smartgrid/smartgrid-sep2.js': 'file' });
    expect(packageSpec('smartgrid-sep2').service).toEqual({ name: 'sep2', termTimeout: 10, nodeFlags: SEP2_NODE_FLAGS });
  });
});
