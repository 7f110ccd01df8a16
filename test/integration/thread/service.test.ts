// The shipped smartgrid-thread bundle under the ubusd stand-in: configured from UCI, it probes the
// simulated RCP behind a real pty, runs the otbr-agent stand-in and serves the network; ubus status,
// probe and restart_radio, and the smartgrid.thread.* events, as the page and ACL use them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THREAD_EVENTS } from '../../../src/thread/contract.js';
import { waitUntil } from '../../helpers/ubus.js';
import { startThreadService, type RunningThread } from './service-harness.js';

const NETWORK_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
let thread: RunningThread;

beforeAll(async () => {
  thread = await startThreadService({ uci: { network_name: 'smartgrid', panid: '0x1234', extpanid: 'dead00beef00cafe', channel: 15, network_key: NETWORK_KEY } });
}, 120_000);

afterAll(async () => { await thread?.stop(); });

const status = (): Promise<Record<string, any>> => thread.status();

describe('smartgrid-thread over ubus', () => {
  it('serves the network: status names the RCP, otbr-agent and the role, and never the network key', async () => {
    await waitUntil(async () => (await status()).radio_state === 'running', 30_000, 'radio_state running');
    const reply = await status();
    expect(reply).toMatchObject({ service: 'thread', state: 'running', radio_state: 'running', thread: { role: 'leader', router_count: 1, partition_id: 1622717361, rloc16: 18432, network_name: 'smartgrid' }, rcp: { health: 'ok', probe: 'ok', hwaddr: '18b4300000000001', protocol: '4.3', rcp_api_version: 11, baud: 460800 }, otbr_agent: { supervisor: 'smartgrid', running: true, starts: 1 } });
    expect(reply.rcp.firmware).toMatch(/^OPENTHREAD\//);
    expect(JSON.stringify(reply)).not.toContain(NETWORK_KEY);
    expect(thread.output.join('')).not.toContain(NETWORK_KEY);
    expect(thread.events.map((e) => e.what)).toEqual(expect.arrayContaining(['smartgrid.thread.state', 'smartgrid.thread.role']));
    for (const event of thread.events) expect(THREAD_EVENTS).toContain(event.what.replace('smartgrid.thread.', ''));
  }, 60_000);

  it('probe lists the probe report and the candidates', async () => {
    const reply = (await thread.bus.client.call('smartgrid.thread', 'probe')) as Record<string, any>;
    expect(reply.probe).toMatchObject({ ok: true, cause: 'ok', path: thread.device });
  });

  it('restart_radio starts over and the network is served again, with a fault and a recovery event', async () => {
    const before = (await status()).otbr_agent.starts as number;
    await thread.bus.client.call('smartgrid.thread', 'restart_radio');
    await waitUntil(async () => { const s = await status(); return s.radio_state === 'running' && s.otbr_agent.starts > before; }, 30_000, 'served again');
    await waitUntil(() => thread.events.some((e) => e.what === 'smartgrid.thread.recovered'), 10_000, 'recovered event');
    expect((await status()).counters.recoveries).toBe(1);
  }, 60_000);
});
