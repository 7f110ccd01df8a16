import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture, initialConftest, send, SidMap, startBed, type Bed, type HttpStep } from './harness.js';

const ROOT_SID = '0afabfc5e8a65899acc3a74f7704b6be';
const READER_SID = '36f18a56b1cdd2a2cc15aa52f46dcf63';

/** The uci captures were made in one run on one file: replay them in order against one stand-in. */
describe('rpcd uci over /ubus, replayed from the captures in order', () => {
  let bed: Bed;
  const sids = new SidMap();

  beforeAll(async () => {
    bed = await startBed(initialConftest());
    const login = await send(bed.server.url, 'POST', '/ubus', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: ['00000000000000000000000000000000', 'session', 'login', { username: 'root', password: 'admin' }] }));
    sids.set(ROOT_SID, (JSON.parse(login.body) as { result: [number, { ubus_rpc_session: string }] }).result[1].ubus_rpc_session);
  });
  afterAll(async () => { await bed.close(); });

  async function replay(step: HttpStep): Promise<void> {
    const body = sids.toLive(step.request.body ?? '');
    const response = await send(bed.server.url, step.request.method, new URL(step.request.url).pathname, body);
    expect(response.status).toBe(step.response.status);
    const loginOf = /"session", "login", \{"username": "(\w+)"/.exec(step.request.body ?? '');
    if (loginOf?.[1] === 'reader') {
      const live = JSON.parse(response.body) as { result: [number, { ubus_rpc_session: string }] };
      sids.set(READER_SID, live.result[1].ubus_rpc_session);
    }
    expect(sids.toCaptured(response.body), `request ${step.request.body}`).toBe(step.response.body);
  }

  for (const scenario of ['uci_get', 'uci_set_add_delete_changes_commit', 'uci_apply_rollback_confirm', 'uci_apply_rollback_timeout', 'readonly_user']) {
    it(`${scenario}: every answer and every file snapshot matches`, async () => {
      for (const step of capture(scenario).steps) {
        if (step.kind === 'http') await replay(step);
        else if (step.kind === 'wait') await new Promise((resolve) => setTimeout(resolve, step.seconds * 1000));
        else if (step.kind === 'file') expect(readFileSync(join(bed.configDir, 'conftest'), 'utf8'), step.label).toBe(step.content);
      }
    }, 20_000);
  }
});
