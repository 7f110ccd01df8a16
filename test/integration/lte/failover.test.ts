import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUplinkTopology, netnsAvailable, type UplinkTopology } from '../../helpers/netns.js';
import { bundleFailoverTools, runFailoverScenario } from './failover-scenario.js';

const available = netnsAvailable();

describe.skipIf(!available)('WAN -> LTE failover in network namespaces', () => {
  let topology: UplinkTopology;
  let tools: Awaited<ReturnType<typeof bundleFailoverTools>>;

  beforeAll(async () => {
    tools = await bundleFailoverTools();
    topology = createUplinkTopology('sglte');
  });
  afterAll(() => {
    topology?.destroy();
    tools?.cleanup();
  });

  it('detects the cut, moves traffic to LTE and back, and loses no QoS 1 reading', async () => {
    const reading = await runFailoverScenario(topology, tools);
    console.log('failover reading', JSON.stringify({ ...reading, failoverEvent: undefined, failbackEvent: undefined }));
    expect(reading.lost).toEqual([]);
    expect(reading.sent).toBeGreaterThan(50);
    expect(reading.detectionMs).toBeLessThan(5000);
    expect(reading.trafficOnLteMs).toBeLessThan(30_000);
    expect(reading.failbackMs).toBeLessThan(5000);
    expect(reading.failoverEvent).toMatchObject({ from: 'wan', to: 'lte' });
    expect(reading.failbackEvent).toMatchObject({ from: 'lte', to: 'wan' });
    expect(Number(reading.failbackEvent.outage_ms)).toBeGreaterThan(3000);
    expect(reading.modes).toEqual(['data-saving', 'normal']);
  }, 120_000);
});
