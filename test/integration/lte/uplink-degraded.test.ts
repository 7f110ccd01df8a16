// A degraded WAN for 3 minutes: the ISP router loses 30 % of what it forwards each way (iptables
// statistic) and delays it 2000 ms each way (userspace delay element on a VXLAN underlay, see
// test/helpers/uplink-faults.ts), the link staying up. The watchdog runs with its defaults (failback
// hold 30 s): one switch to LTE, no flapping while the fault lasts, back to the WAN after the hold.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeUnless } from '../../helpers/skip.js';
import { createUplinkTopology, netnsAvailable, type UplinkTopology } from '../../helpers/netns.js';
import { degradedPlan } from './fault-plans.js';
import { runFaultScenario } from './fault-scenario.js';
import { bundleStack, type StackTools } from './gateway-stack.js';

const available = netnsAvailable();
const FAULT_MS = 180_000;
const HOLD_MS = 30_000;

describeUnless(available ? null : 'needs root and iproute2 for network namespaces', 'degraded WAN (30 % loss, 2000 ms delay each way) for 3 minutes', () => {
  let tools: StackTools;
  let topology: UplinkTopology;

  beforeAll(async () => {
    tools = await bundleStack();
    topology = createUplinkTopology('sgdeg');
  }, 60_000);
  afterAll(() => { topology?.destroy(); tools?.cleanup(); });

  it('switches to LTE once, does not flap, and fails back after the hold once the link is healthy', async () => {
    const reading = await runFaultScenario(topology, tools, degradedPlan(topology, FAULT_MS));
    const { events, delivery, ...numbers } = reading;
    console.log('degraded reading', JSON.stringify({ ...numbers, events: events.map((item) => ({ event: item.event, ...item.data })), delivery: { ...delivery, lost: delivery.lost.length } }));

    expect(reading.switches.map((item) => item.to)).toEqual(['lte', 'wan']);
    expect(reading.switches[1]!.at).toBeGreaterThan(FAULT_MS + HOLD_MS);
    const wanStates = events.filter((item) => item.event === 'smartgrid.lte.uplink.state' && item.data.uplink === 'wan').map((item) => item.data.to);
    expect(wanStates, 'WAN state changes from the fault on').toEqual(['offline', 'online']);
    expect(reading.failbackDecisionMs).toBeGreaterThanOrEqual(HOLD_MS);
    expect(reading.trafficOnWanAfterDecisionMs).toBeLessThan(5000);
    expect(reading.delivery.lost).toEqual([]);
    expect(reading.acked).toBe(reading.sent);
    expect(reading.delivery.orderViolations).toEqual([]);
    expect(reading.delivery.duplicates).toBeLessThan(200);
    expect(reading.egress['wan-from-lte-address']).toBe(0);
    expect(reading.egress['lte-from-wan-address']).toBe(0);
  }, 360_000);
});
