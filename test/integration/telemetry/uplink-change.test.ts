import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Mosquitto } from '../../helpers/mosquitto.js';
import { BlackholeProxy } from './blackhole-proxy.js';
import { localPublisher, startService, waitFor, serviceReady, type Entry, type RunningService } from './harness.js';

/** Plain-MQTT stand-in for ThingsBoard: every `v1/gateway/telemetry` entry per meter, in arrival order. */
async function observe(port: number): Promise<{ client: MqttClient; entries: Map<string, Entry[]> }> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId: `tb-${process.pid}`, protocolVersion: 4, reconnectPeriod: 200 });
  const entries = new Map<string, Entry[]>();
  client.on('message', (_topic, payload) => {
    for (const [meter, list] of Object.entries(JSON.parse(payload.toString()) as Record<string, Entry[]>)) entries.set(meter, [...(entries.get(meter) ?? []), ...list]);
  });
  await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
  await client.subscribeAsync('v1/gateway/telemetry', { qos: 1 });
  return { client, entries };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('uplink change hints (set_mode), data-saving backlog, critical-only', () => {
  let local: Mosquitto;
  let upstream: Mosquitto;
  let proxy: BlackholeProxy;
  let tb: Awaited<ReturnType<typeof observe>>;
  let running: RunningService;
  let publisher: MqttClient;
  let ts = Date.UTC(2026, 0, 1);
  const publish = async (meter: string, values: Record<string, number>) => {
    ts += 1000;
    await publisher.publishAsync(`telemetry/eu/dcu1/${meter}`, JSON.stringify({ ts, values }), { qos: 1 });
    return ts;
  };
  const delivered = (meter: string) => tb.entries.get(meter) ?? [];
  const setMode = async (mode: string, target = running) => target.service.methods().set_mode.handler({ mode }, {} as never);

  beforeAll(async () => {
    local = await startMosquitto();
    upstream = await startMosquitto();
    proxy = await BlackholeProxy.start(upstream.port);
    tb = await observe(upstream.port);
    running = await startService({
      broker_port: local.port, upstream_host: '127.0.0.1', upstream_port: proxy.port, upstream_tls: false,
      upstream_keepalive: 60, rule_range: ['voltage_l1_v=207:253'],
    });
    await waitFor(() => serviceReady(running), 15_000, 'service connected');
    publisher = await localPublisher(local);
  });

  afterAll(async () => {
    await publisher?.endAsync(true);
    await running?.stop();
    await tb?.client.endAsync(true);
    await proxy?.close();
    await local?.dispose();
    await upstream?.dispose();
  });

  it('keeps a session that still answers the PINGREQ', async () => {
    const flows = proxy.flows.length;
    await setMode('normal');
    await waitFor(() => running.service.status().uplink_check !== undefined && (running.service.status().uplink_check as { outcome?: string }).outcome === 'alive', 5000, 'check done');
    expect(proxy.flows.length).toBe(flows);
    expect(running.service.status().connection).toBe('connected');
  });

  it('drops a silent session at once and reconnects over the new path; the backlog goes out at once in data-saving mode', async () => {
    const before = await publish('m-fail', { energy_import_kwh: 1 });
    await waitFor(() => delivered('m-fail').length === 1, 10_000, 'first reading');
    expect(proxy.blackholeOpenFlows()).toBe(1);
    const outage: number[] = [];
    for (let i = 0; i < 5; i++) outage.push(await publish('m-fail', { energy_import_kwh: 2 + i }));
    await sleep(300);
    expect(await setMode('data-saving')).toEqual({ mode: 'data-saving' });
    // What noticed the dead session must be the hint's PINGREQ, not the 60 s keepalive: asserted by the
    // disconnect reason below, not by a clock (the timing figures are in make bench).
    await waitFor(() => proxy.liveFlows().length === 1, 30_000, 'a new upstream session over a live flow');
    await waitFor(() => delivered('m-fail').length >= 6, 30_000, 'the outage backlog over the new session');
    expect(delivered('m-fail').map((entry) => entry.ts).filter((at, i, all) => all.indexOf(at) === i)).toEqual([before, ...outage]);
    expect(running.events.some((event) => event.what === 'disconnect' && String(event.data?.reason).includes('PINGRESP'))).toBe(true);
    expect(running.service.status()).toMatchObject({ mode: 'data-saving', connection: 'connected', uplink_check: { outcome: 'reconnect', reason: 'set_mode data-saving' } });

    // Steady state in data-saving: a new partial batch waits for data_saving_interval (300 s) ...
    const held = await publish('m-fail', { energy_import_kwh: 10 });
    await sleep(1500);
    expect(delivered('m-fail').some((entry) => entry.ts === held)).toBe(false);
    // ... until flushed or the mode returns to normal.
    await setMode('normal');
    await waitFor(() => delivered('m-fail').some((entry) => entry.ts === held), 5000, 'held reading after normal');
  });

  it('restarts a pending retry at once when the hint comes while disconnected', async () => {
    const slow = await startService({
      broker_port: local.port, broker_client_id: 'sg-retry', upstream_client_id: 'gw-retry', upstream_host: '127.0.0.1', upstream_port: upstream.port,
      upstream_tls: false, backoff_initial_ms: 30_000, backoff_max_ms: 60_000,
    });
    try {
      await waitFor(() => serviceReady(slow), 10_000, 'second service connected');
      await upstream.stop();
      await waitFor(() => slow.service.status().connection === 'backoff', 10_000, 'backoff');
      await upstream.restart();
      await setMode('normal', slow);
      // The scheduled retry is at least 15 s away (backoff_initial_ms 30 s, jitter down to half): being
      // connected before that can only be the hint. This wait is that bound, not a speed target.
      await waitFor(() => slow.service.status().connection === 'connected', 14_000, 'connected before the scheduled retry');
      expect(slow.service.status().uplink_check).toMatchObject({ outcome: 'reconnect' });
    } finally {
      await slow.stop();
    }
  });

  it('critical-only forwards alarms and keeps telemetry queued until the mode returns', async () => {
    await waitFor(() => serviceReady(running), 10_000, 'connected');
    await waitFor(async () => tb.client.connected, 10_000, 'observer connected');
    await setMode('critical-only');
    const normal: number[] = [];
    for (let i = 0; i < 3; i++) normal.push(await publish('m-crit', { voltage_l1_v: 230 }));
    const anomalous = await publish('m-crit', { voltage_l1_v: 300 });
    await waitFor(() => delivered('m-crit').some((entry) => entry.values.alarm_rule === 'range'), 5000, 'the alarm upstream');
    await sleep(1000);
    expect(delivered('m-crit').filter((entry) => entry.values.alarm_rule === undefined)).toEqual([]);
    const status = running.service.status() as { mode: string; queue: { depth: { telemetry: number; alarm: number } } };
    expect(status.mode).toBe('critical-only');
    expect(status.queue.depth).toMatchObject({ telemetry: 4, alarm: 0 });
    await expect(setMode('sometimes')).rejects.toMatchObject({ status: 'INVALID_ARGUMENT' });

    await setMode('normal');
    await waitFor(() => delivered('m-crit').filter((entry) => entry.values.alarm_rule === undefined).length === 4, 5000, 'telemetry after critical-only');
    expect(delivered('m-crit').filter((entry) => entry.values.alarm_rule === undefined).map((entry) => entry.ts)).toEqual([...normal, anomalous]);
  });
});
