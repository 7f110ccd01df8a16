import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBlobJson } from '../../stand-ins/rpcd-uhttpd/json-format.js';
import { httpSteps, initialConftest, pathOf, send, SidMap, startBed, type Bed, type HttpStep } from './harness.js';

const ROOT_SID = '0afabfc5e8a65899acc3a74f7704b6be';

describe('uhttpd /ubus protocol behaviour against the captures', () => {
  let bed: Bed;
  const sids = new SidMap();

  beforeAll(async () => {
    bed = await startBed(initialConftest(), 1500);
    const login = await send(bed.server.url, 'POST', '/ubus', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: ['00000000000000000000000000000000', 'session', 'login', { username: 'root', password: 'admin' }] }));
    sids.set(ROOT_SID, (JSON.parse(login.body) as { result: [number, { ubus_rpc_session: string }] }).result[1].ubus_rpc_session);
  });
  afterAll(async () => { await bed.close(); });

  async function replay(step: HttpStep) {
    const headers = Object.fromEntries(step.request.headers.filter(([name]) => /^(content-type|authorization)$/i.test(name)).map(([n, v]) => [n, sids.toLive(v)]));
    const body = step.request.body === undefined ? undefined : sids.toLive(step.request.body);
    return send(bed.server.url, step.request.method, pathOf(step.request.url), body, headers);
  }

  async function expectSame(name: string, skip: (step: HttpStep) => boolean = () => false) {
    for (const step of httpSteps(name)) {
      if (skip(step)) continue;
      const response = await replay(step);
      expect(response.status, step.request.body).toBe(step.response.status);
      expect(sids.toCaptured(response.body), step.request.body).toBe(step.response.body);
      if (step.response.content_type) expect(response.headers['content-type']).toBe(step.response.content_type);
    }
  }

  it('protocol errors: parse errors, unknown method, 3 params, ubus_rpc_session in args, id echo with 6-decimal doubles', () => expectSame('protocol_errors'));
  it('batch: answers in order with per-element errors; empty array gives []', () => expectSame('batch'));
  it('missing object is -32000; missing method is -32002 without ACL and [3] with it', async () => {
    await expectSame('call_missing_object');
    await expectSame('call_missing_method');
  });
  it('zero, random and empty session ids are refused with -32002', () => expectSame('call_without_session'));
  it('wrong password and unknown user give [6] in a 200 answer', () => expectSame('session_login_bad_password'));
  it('the zero session has exactly the unauthenticated ACL', () => expectSame('call_unauthenticated_allowed'));
  it('session.access grants and refuses like rpcd (the full dump is compared by its own groups)', async () => {
    await expectSame('session_access', (step) => JSON.stringify(step.request.body_json).endsWith('"access",{}]}'));
    const dump = await send(bed.server.url, 'POST', '/ubus', sids.toLive(`{"jsonrpc":"2.0","id":7,"method":"call","params":["${ROOT_SID}","session","access",{}]}`));
    const acl = (JSON.parse(dump.body) as { result: [number, Record<string, Record<string, string[]>>] }).result[1];
    expect(acl['access-group']!.conftest).toEqual(['read', 'write']);
    expect(acl['access-group']!['conftest-ubus-set']).toEqual(['read']);
    expect(acl.ubus!.uci).toEqual(['get', 'changes', 'configs', 'state', 'set', 'add', 'delete', 'rename', 'order', 'commit', 'revert', 'apply', 'confirm', 'rollback']);
    expect(acl.uci!.conftest).toEqual(['read', 'write']);
  });
  it('list: names, empty params, signatures of session and uci, wildcard patterns', async () => {
    const [names, empty, session] = httpSteps('list');
    for (const step of [empty!, session!]) {
      const response = await replay(step);
      expect(response.body).toBe(step.response.body);
    }
    const all = JSON.parse((await replay(names!)).body) as { result: string[] };
    expect(all.result).toEqual(['conf.test', 'session', 'system', 'uci']);
    const uci = httpSteps('list')[3]!;
    const expected = (uci.response.body_json as { result: Record<string, unknown> }).result.uci;
    expect((JSON.parse((await replay(uci)).body) as { result: Record<string, unknown> }).result.uci).toEqual(expected);
  });
  it('HTTP methods: GET /ubus 404, OPTIONS 200 empty, REST list and its 500 for unknown objects', async () => {
    for (const step of httpSteps('http_methods')) {
      const response = await replay(step);
      expect(response.status).toBe(step.response.status);
      if (step.request.url.endsWith('/ubus/list')) continue;
      expect(response.body).toBe(step.response.body);
    }
  });
  it('REST call with a Bearer token returns bare data, null without data, errors without a token', () => expectSame('rest_call'));
  it('a body over 65536 bytes is a parse error and closes the connection; 60000 bytes is fine', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: [sids.toLive(ROOT_SID), 'uci', 'set', { config: 'conftest', section: 'main', values: { blob: 'x'.repeat(70_000) } }] });
    const over = await send(bed.server.url, 'POST', '/ubus', big);
    expect(over.body).toBe('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
    expect(over.headers.connection).toBe('close');
    const fits = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: [sids.toLive(ROOT_SID), 'uci', 'set', { config: 'conftest', section: 'main', values: { blob: 'x'.repeat(59_800) } }] });
    expect((await send(bed.server.url, 'POST', '/ubus', fits)).body).toBe('{"jsonrpc":"2.0","id":1,"result":[0]}');
    await send(bed.server.url, 'POST', '/ubus', JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'call', params: [sids.toLive(ROOT_SID), 'uci', 'revert', { config: 'conftest' }] }));
  });
  it('blobmsg rendering: doubles with six decimals, DATA then status 9 as [9,{data}]', async () => {
    expect(formatBlobJson({ dbl: 3.14, arr: [1, 'two', false, -0.5, {}], nul: null })).toBe('{"dbl":3.140000,"arr":[1,"two",false,-0.500000,{}],"nul":null}');
    const [, , failWithData, fail] = httpSteps('blobmsg_types_over_jsonrpc');
    for (const step of [failWithData!, fail!]) expect(sids.toCaptured((await replay(step)).body)).toBe(step.response.body);
  });
  it('a call slower than the uhttpd timeout gives -32003', async () => {
    const [step] = httpSteps('call_timeout');
    const response = await replay({ ...step!, request: { ...step!.request, body: step!.request.body!.replace('"seconds": 65', '"seconds": 3') } });
    expect(response.body).toBe(step!.response.body);
  });
});
