// The shipped smartgrid-thread bundle on the simulated RCP and the otbr-agent stand-in replaying
// network.json's 4-node network: ubus `topology` answers the captured routers, child and links,
// status has the child count, and the `topology` event tells when the agent went away and came back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadStatusReply, ThreadTopologyReply } from '../../../src/thread/contract.js';
import { startThreadService, type RunningThread } from './service-harness.js';

let thread: RunningThread;

/**
 * The first `smartgrid.thread.topology` event from `thread.events[from]` on that `wanted` accepts: one
 * the harness already collected (its listener is there before the service starts), or the next one.
 */
async function topologyEvent(from: number, wanted: (data: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  let settle: (data: Record<string, unknown>) => void = () => undefined;
  const found = new Promise<Record<string, unknown>>((resolve) => { settle = resolve; });
  const subscription = await thread.bus.client.listen('smartgrid.thread.topology', (_what, data) => { if (wanted(data)) settle(data); });
  const collected = thread.events.slice(from).find((e) => e.what === 'smartgrid.thread.topology' && wanted(e.data));
  if (collected) settle(collected.data);
  const data = await found;
  await subscription.unsubscribe();
  return data;
}

const topology = async (refresh = false): Promise<ThreadTopologyReply> => (await thread.bus.client.call('smartgrid.thread', 'topology', refresh ? { refresh } : {})) as unknown as ThreadTopologyReply;

let firstRead: Promise<Record<string, unknown>>;
beforeAll(async () => {
  thread = await startThreadService({ uci: { network_name: 'SmartGrid-Test', panid: '0x1234', extpanid: 'dead00beef00cafe', channel: 15, topology_interval: 3600 }, env: { OTBR_STANDIN_NETWORK: '4-node' } });
  firstRead = topologyEvent(0, (data) => data.source === 'ok');
}, 120_000);

afterAll(async () => { await thread?.stop(); });

describe('smartgrid-thread topology over ubus, 4-node network', () => {
  it('reads the topology as soon as the border router is leader, without being asked', async () => {
    expect(await firstRead).toMatchObject({ source: 'ok', routers: 3, children: 1, neighbours: 3 });
  }, 60_000);

  it('answers the captured routers, child and links', async () => {
    const reply = await topology();
    expect(reply.source).toBe('ok');
    expect(reply.updated_at).toBeGreaterThan(Date.now() / 1000 - 3600);
    expect(reply.routers.map((r) => [r.rloc16, r.role, r.router_id, r.ext_address])).toEqual([['0x5c00', 'router', 23, '3acdd6a010257805'], ['0x6400', 'leader', 25, '72eb61eb9f73bca1'], ['0xb000', 'router', 44, '4e8df1deae6e30f9']]);
    expect(reply.children).toEqual([{ rloc16: '0x6403', ext_address: '26e9d42122526061', role: 'child', parent: '0x6400', addresses: ['fdca:9f7a:251e:1:d430:707b:1630:b57f', 'fd11:22::ff:fe00:6403', 'fd11:22::9abd:36c4:16ba:a533', 'fe80::24e9:d421:2252:6061'] }]);
    expect(reply.neighbours.map((n) => [n.rloc16, n.role, n.link_quality_in, n.rssi_average, n.rssi_last])).toEqual([['0x6403', 'child', 3, -20, -20], ['0x5c00', 'router', 3, -20, -20], ['0xb000', 'router', 3, -20, -20]]);
    const status = (await thread.status()) as unknown as ThreadStatusReply;
    expect(status.thread).toMatchObject({ role: 'leader', router_count: 3, child_count: 1, rloc16: 25600, partition_id: 127342956 });
  });

  it('reads again on demand', async () => {
    const before = (await topology()).updated_at!;
    const reply = await topology(true);
    expect(reply.source).toBe('ok');
    expect(reply.updated_at).toBeGreaterThan(before);
  }, 30_000);

  it('says agent-down while the radio restarts, keeps the last result, and reads again when it is back', async () => {
    const from = thread.events.length;
    const down = topologyEvent(from, (data) => data.source === 'agent-down' || data.source === 'detached');
    const back = topologyEvent(from, (data) => data.source === 'ok');
    await thread.bus.client.call('smartgrid.thread', 'restart_radio');
    await down;
    const during = await topology();
    expect(during.routers).toHaveLength(3);
    expect(['agent-down', 'detached']).toContain(during.source);
    expect(await back).toMatchObject({ routers: 3, children: 1 });
    expect((await topology()).source).toBe('ok');
  }, 60_000);
});
