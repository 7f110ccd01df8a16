import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { THREAD_METHODS, THREAD_WRITE_METHODS } from '../../../src/thread/contract.js';

const acl = JSON.parse(readFileSync(join(__dirname, '../../../luci-app-smartgrid/root/usr/share/rpcd/acl.d/luci-app-smartgrid.json'), 'utf8')) as Record<string, { read: { ubus: Record<string, string[]> }; write: { ubus: Record<string, string[]> } }>;

describe('smartgrid.thread contract and the rpcd ACL', () => {
  const grants = acl['luci-app-smartgrid']!;
  it('grants every read method in `read` and every method that changes something only in `write`', () => {
    const read = grants.read.ubus['smartgrid.thread']!;
    const write = grants.write.ubus['smartgrid.thread']!;
    for (const method of Object.keys(THREAD_METHODS) as (keyof typeof THREAD_METHODS)[]) {
      if (THREAD_WRITE_METHODS.includes(method)) {
        expect(write, method).toContain(method);
        expect(read, method).not.toContain(method);
      } else {
        expect(read, method).toContain(method);
      }
    }
    expect(read).toContain('status');
  });
});
