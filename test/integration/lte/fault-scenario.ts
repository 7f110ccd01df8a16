// One WAN fault under telemetry load with the real gateway stack (gateway-stack.ts): inject, hold,
// clear, and read what the watchdog and the forwarder did. Shared by fault.test.ts and bench/lte.
import type { UplinkTopology } from '../../helpers/netns.js';
import { EgressCounters } from '../../helpers/uplink-faults.js';
import type { DeliveryReport } from './delivery.js';
import { startGatewayStack, type GatewayStack, type StackOverrides, type StackTools } from './gateway-stack.js';
import { firstDelivery, longestGap, recordEvents, sessions, startMeters, type BusEvent } from './scenario-kit.js';

export interface FaultPlan {
  name: string;
  inject(): Promise<void> | void;
  clear(): Promise<void> | void;
  faultMs: number;
  /** Traffic is expected to move to LTE during the fault and back after it. */
  expectSwitch: boolean;
  /** Runs once the fault is in place (e.g. drops the forwarder's session so it has to resolve again). */
  during?(stack: GatewayStack): Promise<void>;
  overrides?: StackOverrides;
  /** Prepares the stack before the meters start (e.g. resolvers). */
  prepare?(): Promise<void> | void;
}

export interface FaultReading {
  name: string;
  /** `smartgrid.lte.uplink.switch` events from the fault on, `at` relative to the injection. */
  switches: Array<{ at: number; from: string; to: string; cause: string }>;
  /** Injection -> the switch to LTE, and -> first reading delivered over the LTE session. */
  switchToLteMs?: number;
  trafficOnLteMs?: number;
  /** Clearing -> the switch back to the WAN (the failback decision), and decision -> first reading over a WAN session. */
  failbackDecisionMs?: number;
  trafficOnWanAfterDecisionMs?: number;
  /** Longest time without any delivery upstream from injection to the end. */
  longestGapMs: number;
  sent: number;
  acked: number;
  delivery: DeliveryReport;
  egress: Record<string, number>;
  events: BusEvent[];
  sessions: Array<{ at: number; from: string }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runFaultScenario(topology: UplinkTopology, tools: StackTools, plan: FaultPlan): Promise<FaultReading> {
  await plan.prepare?.();
  const counters = new EgressCounters(topology);
  counters.install();
  const stack = await startGatewayStack(topology, tools, plan.overrides);
  try {
    return await faultRun(stack, topology, tools, plan, counters);
  } catch (error) {
    const uplink = JSON.stringify(await stack.lteStatus().then((status) => status.uplink, (e: Error) => e.message));
    throw new Error(`${(error as Error).message}\n--- telemetry:\n${stack.telemetryLog.tail()}\n--- lte:\n${stack.lteLog.tail()}\n--- cloud broker:\n${stack.cloudLog.tail()}\n--- uplink status:\n${uplink}`);
  } finally {
    await stack.stop();
  }
}

async function faultRun(stack: GatewayStack, topology: UplinkTopology, tools: StackTools, plan: FaultPlan, counters: EgressCounters): Promise<FaultReading> {
  const bus = await recordEvents(stack);
  const upstream = sessions(stack);
  const meters = await startMeters(stack, topology, tools);
  try {
    await firstDelivery(stack, 0, 'the first reading upstream');
    await sleep(2000);
    const injectedAt = Date.now();
    await plan.inject();
    await plan.during?.(stack);
    const reading: Partial<FaultReading> = {};
    if (plan.expectSwitch) {
      const toLte = await bus.wait('smartgrid.lte.uplink.switch', injectedAt, plan.faultMs, (data) => data.to === 'lte');
      const lteSession = await upstream.wait(topology.lteAddress, injectedAt);
      reading.switchToLteMs = toLte.at - injectedAt;
      reading.trafficOnLteMs = (await firstDelivery(stack, lteSession.at, 'a reading delivered over LTE')).at - injectedAt;
    }
    await sleep(Math.max(0, injectedAt + plan.faultMs - Date.now()));
    const clearedAt = Date.now();
    await plan.clear();
    if (plan.expectSwitch) {
      const back = await bus.wait('smartgrid.lte.uplink.switch', clearedAt, 120_000, (data) => data.to === 'wan');
      const wanSession = await upstream.wait(topology.wanAddress, back.at - 1000);
      reading.failbackDecisionMs = back.at - clearedAt;
      reading.trafficOnWanAfterDecisionMs = (await firstDelivery(stack, Math.max(wanSession.at, back.at), 'a reading over the WAN again')).at - back.at;
    }
    await sleep(2000);
    const endedAt = Date.now();
    const { sent, acked, delivery } = await meters.stop();
    const switches = bus.events.filter((item) => item.event === 'smartgrid.lte.uplink.switch' && item.at >= injectedAt)
      .map((item) => ({ at: item.at - injectedAt, from: String(item.data.from), to: String(item.data.to), cause: String(item.data.cause) }));
    return {
      ...reading, name: plan.name, switches, longestGapMs: longestGap(stack, injectedAt, endedAt), sent, acked, delivery,
      egress: counters.read(), events: bus.events.filter((item) => item.event.startsWith('smartgrid.lte.uplink.')), sessions: upstream.list(),
    };
  } finally {
    if (meters.process.exitCode === null) meters.process.kill('SIGKILL');
  }
}
