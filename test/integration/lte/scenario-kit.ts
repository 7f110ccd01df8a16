// What the uplink scenarios share: the bus events they wait on, the forwarder's upstream sessions as
// the cloud broker logs them, and the meters' publisher with the end-to-end delivery check.
import type { ChildProcess } from 'node:child_process';
import type { UbusArgs } from '../../../src/lib/ubus/types.js';
import type { UplinkTopology } from '../../helpers/netns.js';
import { compareDelivery, parseUpstream, type DeliveryReport } from './delivery.js';
import type { GatewayStack, StackTools } from './gateway-stack.js';
import { LineLog, type LogLine } from './line-log.js';

export interface BusEvent { at: number; event: string; data: UbusArgs }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const json = (line: LogLine) => { try { return JSON.parse(line.text) as Record<string, unknown>; } catch { return {}; } };

export async function recordEvents(stack: GatewayStack): Promise<{ events: BusEvent[]; wait(name: string, since: number, timeoutMs: number, match?: (data: UbusArgs) => boolean): Promise<BusEvent> }> {
  const events: BusEvent[] = [];
  await stack.bus.client.listen('smartgrid.*', (event, data) => events.push({ at: Date.now(), event, data }));
  const wait = async (name: string, since: number, timeoutMs: number, match: (data: UbusArgs) => boolean = () => true) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find((item) => item.event === name && item.at >= since && match(item.data));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the ${name} event`);
      await sleep(20);
    }
  };
  return { events, wait };
}

export function sessions(stack: GatewayStack) {
  const from = (line: LogLine) => new RegExp(`New client connected from ([0-9.]+):\\d+ as ${stack.forwarderId} `).exec(line.text)?.[1];
  return {
    from,
    wait: (address: string, since: number, timeoutMs = 30_000) =>
      stack.cloudLog.wait((line) => line.at >= since && from(line) === address, timeoutMs, `the forwarder's session from ${address}`),
    list: () => stack.cloudLog.lines.flatMap((line) => { const address = from(line); return address ? [{ at: line.at, from: address }] : []; }),
  };
}

export const firstDelivery = (stack: GatewayStack, since: number, what: string, timeoutMs = 30_000) => stack.upstream.wait((line) => line.at >= since, timeoutMs, what);

/** Longest time between two deliveries upstream within [from, to]. */
export function longestGap(stack: GatewayStack, from: number, to: number): number {
  let previous = from;
  let longest = 0;
  for (const line of stack.upstream.lines) {
    if (line.at < from || line.at > to) continue;
    longest = Math.max(longest, line.at - previous);
    previous = line.at;
  }
  return Math.max(longest, to - previous);
}

export interface Meters { process: ChildProcess; stop(): Promise<{ sent: number; acked: number; delivery: DeliveryReport }> }

/** Ten meters publishing QoS 1 readings to the gateway's broker until stopped; stop() checks delivery. */
export async function startMeters(stack: GatewayStack, topology: UplinkTopology, tools: StackTools, options: { meters?: number; publishIntervalMs?: number } = {}): Promise<Meters> {
  const meters = options.meters ?? 10;
  const startTs = Date.UTC(2025, 0, 1);
  const child = topology.spawn(topology.gw, [process.execPath, tools.publisher], {
    BROKER_URL: 'mqtt://127.0.0.1:1883', START_TS: String(startTs), METERS: String(meters), PUBLISH_INTERVAL_MS: String(options.publishIntervalMs ?? 20),
  });
  const publisher = new LineLog(child, 'stdout');
  await publisher.wait((line) => json(line).type === 'first-ack', 10_000, 'the first reading acknowledged by the local broker');
  const stop = async () => {
    child.stdin!.write('stop\n');
    const done = json(await publisher.wait((line) => json(line).type === 'done', 20_000, 'the publisher to finish'));
    const acked = done.acked as number[];
    const meterOf = (id: number) => `meter${id % meters}`;
    const check = () => { const malformed: string[] = []; return compareDelivery(acked, parseUpstream(stack.upstream.lines, startTs, malformed), meterOf, malformed); };
    let delivery = check();
    for (const deadline = Date.now() + 20_000; delivery.lost.length && Date.now() < deadline;) {
      await sleep(200);
      delivery = check();
    }
    return { sent: Number(done.sent), acked: acked.length, delivery };
  };
  return { process: child, stop };
}
