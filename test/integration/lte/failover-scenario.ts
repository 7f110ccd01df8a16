// Cuts the WAN uplink under telemetry load and restores it, with the real forwarder and watchdog
// (gateway-stack.ts); shared by the failover test and bench/lte.
import type { UbusArgs } from '../../../src/lib/ubus/types.js';
import type { UplinkTopology } from '../../helpers/netns.js';
import { compareDelivery, parseUpstream, type DeliveryReport } from './delivery.js';
import { startGatewayStack, type GatewayStack, type StackOverrides, type StackTools } from './gateway-stack.js';
import { LineLog, type LogLine } from './line-log.js';

export { bundleStack } from './gateway-stack.js';

export interface FailoverReading {
  /** Cut -> the watchdog's failover event (its own clock, same host). */
  detectionMs: number;
  /** Cut -> the forwarder reports its upstream session lost (keepalive timeout on the dead path). */
  sessionLostMs: number;
  /** Cut -> the forwarder's new session arrives at the cloud broker from the LTE address. */
  lteSessionMs: number;
  /** Cut -> first reading delivered upstream over the LTE session. */
  trafficOnLteMs: number;
  /** Restore -> the watchdog's failback event. */
  failbackMs: number;
  /** Restore -> first reading delivered upstream over a new WAN session. */
  trafficOnWanMs: number;
  failoverEvent: UbusArgs;
  failbackEvent: UbusArgs;
  /** `smartgrid.telemetry status` mode, sampled every 200 ms, with the uplink the sample fell in. */
  modeSamples: Array<{ at: number; mode: string; phase: 'wan' | 'lte' | 'failback' }>;
  /** Forwarder mode after the failover settled (first LTE delivery) and after the failback settled. */
  modeOnLte: string;
  modeAfterFailback: string;
  sent: number;
  acked: number;
  delivery: DeliveryReport;
  /** Upstream sessions of the forwarder, by source address. */
  sessions: Array<{ at: number; from: string }>;
}

export interface ScenarioOptions { onLteMs?: number; publishIntervalMs?: number; meters?: number; overrides?: StackOverrides }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const json = (line: LogLine) => { try { return JSON.parse(line.text) as Record<string, unknown>; } catch { return {}; } };

export async function runFailoverScenario(topology: UplinkTopology, tools: StackTools, options: ScenarioOptions = {}): Promise<FailoverReading> {
  const stack = await startGatewayStack(topology, tools, options.overrides);
  try {
    return await scenario(stack, topology, tools, options);
  } catch (error) {
    const routing = ['rule', 'route show table all'].map((what) => { try { return topology.exec(topology.gw, ['ip', '-4', ...what.split(' ')]); } catch (e) { return String(e); } }).join('');
    const uplink = JSON.stringify(await stack.lteStatus().then((status) => status.uplink, (e: Error) => e.message));
    const context = `\n--- telemetry:\n${stack.telemetryLog.tail()}\n--- lte:\n${stack.lteLog.tail()}\n--- cloud broker:\n${stack.cloudLog.tail()}\n--- gateway routing:\n${routing}\n--- uplink status:\n${uplink}`;
    throw new Error(`${(error as Error).message}${context}`);
  } finally {
    await stack.stop();
  }
}

async function scenario(stack: GatewayStack, topology: UplinkTopology, tools: StackTools, options: ScenarioOptions): Promise<FailoverReading> {
  const meters = options.meters ?? 10;
  const events: Array<{ at: number; event: string; data: UbusArgs }> = [];
  await stack.bus.client.listen('smartgrid.*', (event, data) => events.push({ at: Date.now(), event, data }));
  const waitEvent = async (name: string, since: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find((item) => item.event === name && item.at >= since);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the ${name} event`);
      await sleep(20);
    }
  };
  const sessionFrom = (line: LogLine) => new RegExp(`New client connected from ([0-9.]+):\\d+ as ${stack.forwarderId} `).exec(line.text)?.[1];
  const waitSession = (address: string, since: number) =>
    stack.cloudLog.wait((line) => line.at >= since && sessionFrom(line) === address, 30_000, `the forwarder's session from ${address}`);
  const firstDelivery = (since: number, what: string) => stack.upstream.wait((line) => line.at >= since, 30_000, what);

  let phase: FailoverReading['modeSamples'][number]['phase'] = 'wan';
  const modeSamples: FailoverReading['modeSamples'] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const status = await stack.telemetryStatus().catch(() => undefined);
      if (status) modeSamples.push({ at: Date.now(), mode: String(status.mode), phase });
      await sleep(200);
    }
  })();
  const currentMode = async () => String((await stack.telemetryStatus()).mode);

  const startTs = Date.UTC(2025, 0, 1);
  const publisherProcess = topology.spawn(topology.gw, [process.execPath, tools.publisher], {
    BROKER_URL: 'mqtt://127.0.0.1:1883', START_TS: String(startTs), METERS: String(meters), PUBLISH_INTERVAL_MS: String(options.publishIntervalMs ?? 20),
  });
  const publisher = new LineLog(publisherProcess, 'stdout');
  try {
    await publisher.wait((line) => json(line).type === 'first-ack', 10_000, 'the first reading acknowledged by the local broker');
    await firstDelivery(0, 'the first reading upstream');
    await sleep(2000);

    const cutAt = Date.now();
    phase = 'lte';
    topology.cutWan();
    const failover = await waitEvent('smartgrid.lte.failover', cutAt, 15_000);
    const sessionLost = await waitEvent('smartgrid.telemetry.disconnect', cutAt, 30_000);
    const lteSession = await waitSession(topology.lteAddress, cutAt);
    const firstOnLte = await firstDelivery(lteSession.at, 'a reading delivered over LTE');
    const modeOnLte = await currentMode();
    await sleep(options.onLteMs ?? 3000);

    const restoreAt = Date.now();
    phase = 'failback';
    topology.restoreWan();
    const failback = await waitEvent('smartgrid.lte.failback', restoreAt, 15_000);
    const wanSession = await waitSession(topology.wanAddress, restoreAt);
    const firstOnWan = await firstDelivery(wanSession.at, 'a reading delivered over the WAN again');
    const modeAfterFailback = await currentMode();
    await sleep(1000);

    publisherProcess.stdin!.write('stop\n');
    const done = json(await publisher.wait((line) => json(line).type === 'done', 20_000, 'the publisher to finish'));
    const acked = done.acked as number[];
    const meterOf = (id: number) => `meter${id % meters}`;
    const malformed: string[] = [];
    let delivery = compareDelivery(acked, parseUpstream(stack.upstream.lines, startTs, malformed), meterOf, malformed);
    for (const deadline = Date.now() + 20_000; delivery.lost.length && Date.now() < deadline;) {
      await sleep(200);
      const again: string[] = [];
      delivery = compareDelivery(acked, parseUpstream(stack.upstream.lines, startTs, again), meterOf, again);
    }
    return {
      detectionMs: Number(failover.data.at) - cutAt,
      sessionLostMs: sessionLost.at - cutAt,
      lteSessionMs: lteSession.at - cutAt,
      trafficOnLteMs: firstOnLte.at - cutAt,
      failbackMs: Number(failback.data.at) - restoreAt,
      trafficOnWanMs: firstOnWan.at - restoreAt,
      failoverEvent: failover.data, failbackEvent: failback.data,
      modeSamples, modeOnLte, modeAfterFailback,
      sent: Number(done.sent), acked: acked.length, delivery,
      sessions: stack.cloudLog.lines.flatMap((line) => { const from = sessionFrom(line); return from ? [{ at: line.at, from }] : []; }),
    };
  } finally {
    sampling = false;
    await sampler;
    if (publisherProcess.exitCode === null) publisherProcess.kill('SIGKILL');
  }
}
