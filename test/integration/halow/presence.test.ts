// Station monitoring end to end: the hostapd ubus stand-in with simulated DCUs, smartgrid-halow
// polling and subscribed, presence and weak-signal changes as ubus events, retained MQTT states and
// telemetry readings on a real mosquitto. Short intervals (1 s): the test waits for events.
import { connect, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UbusArgs } from '../../../src/lib/ubus/types.js';
import { startMosquitto, type Mosquitto } from '../../helpers/mosquitto.js';
import { waitUntil } from '../../helpers/ubus.js';
import { StationSimulator } from '../../stand-ins/hostapd/station-simulator.js';
import { HostapdUbusStandIn } from '../../stand-ins/hostapd/ubus-object.js';
import { startHalow, type HalowHarness } from './harness.js';

const DCU1 = '02:4d:4d:00:00:01';
const DCU2 = '02:4d:4d:00:00:02';
const STRANGER = '02:99:00:00:00:09';
let broker: Mosquitto;
let halow: HalowHarness;
let hostapd: HostapdUbusStandIn;
let simulator: StationSimulator;
let observer: MqttClient;
let heartbeat: NodeJS.Timeout;
const events: Array<{ event: string; data: UbusArgs; at: number }> = [];
const mqtt = new Map<string, Record<string, unknown>[]>();

function eventsOf(name: string, dcu?: string) {
  return events.filter((entry) => entry.event === name && (dcu === undefined || entry.data.name === dcu));
}

beforeAll(async () => {
  broker = await startMosquitto();
  observer = connect({ host: broker.host, port: broker.port, clientId: 'observer' });
  await new Promise<void>((resolve) => observer.once('connect', () => resolve()));
  observer.on('message', (topic, payload) => mqtt.set(topic, [...(mqtt.get(topic) ?? []), JSON.parse(payload.toString()) as Record<string, unknown>]));
  await observer.subscribeAsync(['smartgrid/halow/#', 'telemetry/#'], { qos: 1 });
  halow = await startHalow({
    region: 'US', sae_password: 'dcu-fleet-secret', auto_apply: 0, presence_interval: 1, missing_intervals: 3, mqtt_port: broker.port,
  }, undefined, ['dcu-01 02:4d:4d:00:00:01 feeder-1 120', 'dcu-02 02:4d:4d:00:00:02 feeder-2 80']);
  await halow.bus.client.listen('smartgrid.halow.*', (event, data) => events.push({ event, data, at: Date.now() }));
  hostapd = new HostapdUbusStandIn(await halow.bus.newClient(), { ifname: 'wlan0', freq: 5570, bssid: '02:4d:4d:ff:00:01', ssid: 'smartgrid-halow' });
  await hostapd.start();
  simulator = new StationSimulator(hostapd);
  heartbeat = setInterval(() => simulator.tick(), 250);
}, 60_000);

afterAll(async () => {
  clearInterval(heartbeat);
  await halow?.stop();
  await hostapd?.stop().catch(() => undefined);
  await observer?.endAsync();
  await broker?.dispose();
});

describe('DCU presence and stations', () => {
  it('a joining DCU is announced (station.assoc), present, with its station data', async () => {
    await waitUntil(() => hostapd.hasSubscribers, 20_000, 'smartgrid-halow to subscribe to hostapd.wlan0');
    await simulator.join(DCU1, -58);
    await simulator.join(DCU2, -60);
    await waitUntil(() => eventsOf('smartgrid.halow.dcu.presence').filter((entry) => entry.data.presence === 'present').length === 2, 20_000, 'both DCUs present');
    expect(events.some((entry) => entry.event === 'smartgrid.halow.station.assoc' && entry.data.mac === DCU1 && entry.data.known === true)).toBe(true);
    let stations: Array<Record<string, unknown>> = [];
    await waitUntil(async () => { stations = (await halow.call('stations')).stations as Array<Record<string, unknown>>; return stations.length === 2; }, 20_000, 'both stations polled');
    expect(stations.find((station) => station.mac === DCU1)).toMatchObject({ dcu: 'dcu-01', known: true, associated: true, authorized: true, pmf: true, signal: -58, rx_rate_kbps: 150 });
    await waitUntil(() => (mqtt.get('smartgrid/halow/dcu/dcu-01/state') ?? []).some((state) => state.presence === 'present'), 20_000, 'retained present state');
  });

  it('a silent DCU goes missing after 3 intervals and comes back within one interval', async () => {
    simulator.silence(DCU2);
    await waitUntil(() => eventsOf('smartgrid.halow.dcu.presence', 'dcu-02').some((entry) => entry.data.presence === 'missing'), 30_000, 'dcu-02 missing');
    const dcus = (await halow.call('dcus')).dcus as Array<{ name: string; presence: string; last_heard: number }>;
    const missing = eventsOf('smartgrid.halow.dcu.presence', 'dcu-02').find((entry) => entry.data.presence === 'missing')!;
    expect(missing.at - dcus.find((dcu) => dcu.name === 'dcu-02')!.last_heard).toBeGreaterThanOrEqual(3000);
    expect(eventsOf('smartgrid.halow.dcu.presence', 'dcu-01').every((entry) => entry.data.presence === 'present')).toBe(true);
    const silencedAt = Date.now();
    simulator.silence(DCU2, false);
    await waitUntil(() => eventsOf('smartgrid.halow.dcu.presence', 'dcu-02').some((entry) => entry.at >= silencedAt && entry.data.presence === 'present'), 20_000, 'dcu-02 back');
    // Present again on the first poll after its next frame: at most one interval (1 s) plus a heartbeat.
    expect(eventsOf('smartgrid.halow.dcu.presence', 'dcu-02').filter((entry) => entry.at >= silencedAt).map((entry) => entry.data.presence)).toEqual(['present']);
    // The retained state and the reading reach the test's subscriber after the ubus event.
    const retainedStates = (): unknown[] => (mqtt.get('smartgrid/halow/dcu/dcu-02/state') ?? []).map((state) => state.presence);
    await waitUntil(() => retainedStates().at(-1) === 'present', 20_000, 'retained present state of dcu-02');
    expect(retainedStates()).toContain('missing');
    const presentValues = (): unknown[] => (mqtt.get('telemetry/feeder-2/dcu-02/dcu-02') ?? []).map((reading) => (reading.values as Record<string, number>).halow_present);
    await waitUntil(() => presentValues().includes(0), 20_000, 'a halow_present 0 reading of dcu-02');
  });

  it('a weakening DCU raises the weak-signal alarm (event, MQTT state, telemetry reading)', async () => {
    simulator.setSignal(DCU1, -74);
    await waitUntil(() => eventsOf('smartgrid.halow.dcu.signal', 'dcu-01').some((entry) => entry.data.alarm === true), 20_000, 'weak-signal alarm');
    await waitUntil(() => (mqtt.get('telemetry/feeder-1/dcu-01/dcu-01') ?? []).some((reading) => (reading.values as Record<string, number>).halow_weak_signal === 1), 20_000, 'weak reading');
    expect(mqtt.get('telemetry/feeder-1/dcu-01/dcu-01')!.at(-1)).toMatchObject({ values: { halow_present: 1, halow_weak_signal: 1, halow_signal_dbm: -74 } });
    simulator.setSignal(DCU1, -60);
    await waitUntil(() => eventsOf('smartgrid.halow.dcu.signal', 'dcu-01').some((entry) => entry.data.alarm === false), 20_000, 'alarm cleared');
  });

  it('an unknown station is listed and flagged; status summarises presence', async () => {
    await simulator.join(STRANGER, -66);
    await waitUntil(() => events.some((entry) => entry.event === 'smartgrid.halow.station.unknown' && entry.data.mac === STRANGER), 20_000, 'unknown station event');
    expect((await halow.call('dcus')).unknown).toEqual([STRANGER]);
    const status = await halow.call('status');
    expect(status.bss).toEqual({ ifname: 'wlan0', hostapd: true, control_socket: false, stations: 3 });
    expect(status.presence).toMatchObject({ present: 2, missing: 0, unknown: 1, broker: true });
  });
});
