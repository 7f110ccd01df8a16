// The WAN faults ISPs really have, in network namespaces with the real gateway stack under telemetry
// load (fault-scenario.ts): a blackhole at the ISP, the WAN link going down, and the WAN resolver
// failing for the upstream's name. Each run also counts, per uplink, what left the gateway: no probe
// and no session may leave through the other uplink. The 3-minute degraded-link run is in
// uplink-degraded.test.ts. Lab-only settings: a 10 s failback hold (default 30 s) to keep runs short.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeUnless } from '../../helpers/skip.js';
import { createUplinkTopology, netnsAvailable, type UplinkTopology } from '../../helpers/netns.js';
import { blackholePlan, dnsPlan, linkDownPlan } from './fault-plans.js';
import { runFaultScenario, type FaultReading } from './fault-scenario.js';
import { bundleStack, type StackTools } from './gateway-stack.js';

const available = netnsAvailable();
const HOLD_S = 10;
const lte = { uplink_failback_hold: HOLD_S };

function report(reading: FaultReading): void {
  const { events, delivery, ...numbers } = reading;
  console.log(`${reading.name} reading`, JSON.stringify({ ...numbers, events: events.length, delivery: { ...delivery, lost: delivery.lost.length } }));
}

function expectCleanDelivery(reading: FaultReading): void {
  expect(reading.delivery.malformed).toEqual([]);
  expect(reading.acked).toBe(reading.sent);
  expect(reading.delivery.lost).toEqual([]);
  expect(reading.delivery.orderViolations).toEqual([]);
  // Re-sent batches whose PUBACK died with a session: at most max_inflight (8) batches per switch.
  expect(reading.delivery.duplicates).toBeLessThan(200);
}

function expectOwnEgress(reading: FaultReading, topology: UplinkTopology): void {
  expect(reading.egress['wan-from-lte-address'], 'packets with the LTE address that left through the WAN').toBe(0);
  expect(reading.egress['lte-from-wan-address'], 'packets with the WAN address that left through LTE').toBe(0);
  expect(reading.egress['wan-echo']).toBeGreaterThan(0);
  expect(reading.egress['lte-echo']).toBeGreaterThan(0);
  const fromGateway = reading.sessions.filter((session) => session.from !== topology.serviceAddress /* the DNS test's kicker */);
  expect(fromGateway.every((session) => [topology.wanAddress, topology.lteAddress].includes(session.from))).toBe(true);
}

describeUnless(available ? null : 'needs root and iproute2 for network namespaces', 'uplink faults in network namespaces, end to end with the telemetry forwarder', () => {
  let tools: StackTools;
  let topology: UplinkTopology | undefined;
  const fresh = () => { topology?.destroy(); topology = createUplinkTopology('sgflt'); return topology; };

  beforeAll(async () => { tools = await bundleStack(); }, 60_000);
  afterAll(() => { topology?.destroy(); tools?.cleanup(); });

  it('blackhole at the ISP (link up): one switch to LTE within 10 s, back after the hold, nothing lost', async () => {
    const lab = fresh();
    const reading = await runFaultScenario(lab, tools, blackholePlan(lab, 20_000, { lte }));
    report(reading);
    expectCleanDelivery(reading);
    expectOwnEgress(reading, lab);
    expect(reading.switches.map((item) => item.to)).toEqual(['lte', 'wan']);
    // Under load a few late replies can make the rounds read as degraded rather than silent: either names the WAN fault.
    expect(reading.switches[0]!.cause).toMatch(/^WAN offline \((blackhole: no reply|degraded: 3 failed rounds)/);
    expect(reading.trafficOnLteMs).toBeLessThan(10_000);
    expect(reading.failbackDecisionMs).toBeGreaterThanOrEqual(HOLD_S * 1000);
    expect(reading.trafficOnWanAfterDecisionMs).toBeLessThan(5000);
    expect(reading.egress['lte-mqtt']).toBeGreaterThan(0);
  }, 120_000);

  it('WAN link down: switch at once, back after the hold, probes never cross', async () => {
    const lab = fresh();
    const reading = await runFaultScenario(lab, tools, linkDownPlan(lab, 8000, { lte }));
    report(reading);
    expectCleanDelivery(reading);
    expectOwnEgress(reading, lab);
    expect(reading.switches.map((item) => item.to)).toEqual(['lte', 'wan']);
    expect(reading.switches[0]!.cause).toBe('WAN offline (link down: no usable default route)');
    expect(reading.trafficOnLteMs).toBeLessThan(5000);
    expect(reading.trafficOnWanAfterDecisionMs).toBeLessThan(5000);
  }, 120_000);

  it('WAN resolver fails for the upstream name: the LTE resolver, then the last-known-good address keep delivery going', async () => {
    const lab = fresh();
    const plan = await dnsPlan(lab, 20_000, lte);
    try {
      const reading = await runFaultScenario(lab, tools, plan);
      report(reading);
      expectCleanDelivery(reading);
      expectOwnEgress(reading, lab);
      expect(plan.sources).toEqual(['interface wwan', 'last-known-good']);
      expect(reading.switches).toEqual([]);
      expect(reading.longestGapMs).toBeLessThan(15_000);
      expect(reading.events.find((item) => item.event === 'smartgrid.lte.uplink.dns' && item.data.uplink === 'wan')?.data).toMatchObject({ ok: false, fault: true, error: 'ENOTFOUND' });
      expect(reading.egress['lte-dns']).toBeGreaterThan(0);
      expect(plan.lteQueries()).toBeGreaterThan(0);
    } finally {
      plan.cleanup();
    }
  }, 120_000);
});
