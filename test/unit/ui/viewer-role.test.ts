import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUciPackage } from '../../../src/lib/uci/parser.js';
import type { LoginUser } from '../../stand-ins/rpcd-uhttpd/acl.js';
import type { UbusBackend } from '../../stand-ins/rpcd-uhttpd/objects.js';
import { startRpcdUhttpd, type RpcdUhttpd } from '../../stand-ins/rpcd-uhttpd/server.js';

const REPO = new URL('../../..', import.meta.url).pathname;

/** A bus with only `smartgrid.telemetry`, as the ACL sees it. */
const telemetryOnly: UbusBackend = {
  list: async () => new Map([['smartgrid.telemetry', { status: {}, flush: {} }]]),
  call: async () => ({ status: 0, data: { state: 'running' } }),
};

/** The `config login` section docs/luci.md documents for a read-only viewer, as rpcd would read it. */
function documentedViewer(password: string): LoginUser {
  const block = /```uci\n([^]*?)```/.exec(readFileSync(join(REPO, 'docs/luci.md'), 'utf8'))?.[1];
  if (!block) throw new Error('docs/luci.md has no ```uci block with the viewer login');
  const section = parseUciPackage(block, 'rpcd').sections.find((candidate) => candidate.type === 'login');
  const list = (name: string) => [section?.options.get(name) ?? []].flat();
  return { username: String(section?.options.get('username')), password, read: list('read'), write: list('write') };
}

describe('the documented viewer role on the rpcd/uhttpd stand-in (the ACL groups real LuCI 24.10 ships)', () => {
  let web: RpcdUhttpd;
  let dir: string;
  const viewer = documentedViewer('viewer-pw');
  const withoutUnauthenticated = { ...viewer, username: 'bare', read: viewer.read.filter((group) => group !== 'unauthenticated') };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sg-viewer-'));
    writeFileSync(join(dir, 'smartgrid'), "config telemetry 'telemetry'\n\toption enabled '1'\n");
    web = await startRpcdUhttpd({ configDir: dir, users: [viewer, withoutUnauthenticated], backend: telemetryOnly });
  });
  afterAll(async () => { await web?.close(); rmSync(dir, { recursive: true, force: true }); });

  const call = async (sid: string, object: string, method: string, args: Record<string, unknown> = {}) => {
    const response = await fetch(`${web.url}/ubus/`, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: [sid, object, method, args] }) });
    return (await response.json()) as { result?: unknown[]; error?: { code: number; message: string } };
  };
  const login = async (user: LoginUser) => {
    const reply = await call('00000000000000000000000000000000', 'session', 'login', { username: user.username, password: user.password });
    return (reply.result?.[1] as { ubus_rpc_session: string }).ubus_rpc_session;
  };

  it('reads everything a Smart Grid page asks for and may change nothing', async () => {
    expect(viewer).toMatchObject({ username: 'viewer', read: ['unauthenticated', 'luci-base', 'luci-app-smartgrid'], write: [] });
    const sid = await login(viewer);
    expect((await call(sid, 'luci', 'getFeatures')).result?.[0]).toBe(0);
    expect((await call(sid, 'session', 'access', { scope: 'ubus', object: 'smartgrid.telemetry', function: 'status' })).result).toEqual([0, { access: true }]);
    expect((await call(sid, 'session', 'access', { scope: 'ubus', object: 'smartgrid.telemetry', function: 'flush' })).result).toEqual([0, { access: false }]);
    expect((await call(sid, 'uci', 'get', { config: 'smartgrid', section: 'telemetry', option: 'enabled' })).result).toEqual([0, { value: '1' }]);
    expect((await call(sid, 'uci', 'changes', { config: 'smartgrid' })).result).toEqual([0, { changes: [] }]);
    expect((await call(sid, 'smartgrid.telemetry', 'status')).result).toEqual([0, { state: 'running' }]);
    expect((await call(sid, 'smartgrid.telemetry', 'flush')).error?.code).toBe(-32002);
    expect((await call(sid, 'uci', 'set', { config: 'smartgrid', section: 'telemetry', values: { enabled: '0' } })).error?.code).toBe(-32002);
  });

  it('without the unauthenticated group, luci.getFeatures (asked on every LuCI page) is denied', async () => {
    const sid = await login(withoutUnauthenticated);
    expect((await call(sid, 'luci', 'getFeatures')).error).toEqual({ code: -32002, message: 'Access denied' });
    expect((await call(sid, 'uci', 'get', { config: 'smartgrid', section: 'telemetry', option: 'enabled' })).result).toEqual([0, { value: '1' }]);
  });
});
