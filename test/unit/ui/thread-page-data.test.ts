// What the Thread page polls: a failing `nodes` (the bridge not there: Method not found) or
// `topology` call leaves its error for that section and the rest of the page data intact.
import { describe, expect, it } from 'vitest';
import { loadThreadPage } from '../../../src/ui/lib/thread-data.js';
import { RpcError, type Data, type Rpc } from '../../../src/ui/lib/rpc.js';

function fakeRpc(replies: Record<string, Data | RpcError>): Rpc {
  return {
    call: async (object: string, method: string) => {
      const reply = replies[`${object}.${method}`];
      if (reply === undefined) throw new RpcError(`${object}.${method}: Method not found`, undefined, 3);
      if (reply instanceof RpcError) throw reply;
      return reply;
    },
  } as unknown as Rpc;
}

const STATUS = { state: 'running', radio_state: 'running', thread: { role: 'leader', child_count: 1 } };
const TOPOLOGY = { source: 'ok', updated_at: 1, routers: [], children: [], neighbours: [] };

describe('Thread page data', () => {
  it('keeps status and topology when nodes fails, with the reason for the nodes section', async () => {
    const data = await loadThreadPage(fakeRpc({ 'smartgrid.thread.status': STATUS, 'smartgrid.thread.topology': TOPOLOGY }));
    expect(data.status?.thread.child_count).toBe(1);
    expect(data.topology).toEqual({ reply: TOPOLOGY });
    expect(data.nodes).toEqual({ error: 'smartgrid.thread.nodes: Method not found' });
  });

  it('keeps status and nodes when topology fails', async () => {
    const nodes = { listening: [], nodes: [], counters: {} };
    const data = await loadThreadPage(fakeRpc({ 'smartgrid.thread.status': STATUS, 'smartgrid.thread.nodes': nodes, 'smartgrid.thread.topology': new RpcError('smartgrid.thread.topology: no answer') }));
    expect(data).toMatchObject({ status: STATUS, topology: { error: 'smartgrid.thread.topology: no answer' }, nodes: { reply: nodes } });
  });

  it('asks nothing more when the service is not on the bus', async () => {
    const data = await loadThreadPage(fakeRpc({ 'smartgrid.thread.status': new RpcError('Object not found', -32000) }));
    expect(data).toEqual({ status: undefined, error: undefined, topology: {}, nodes: {} });
  });
});
