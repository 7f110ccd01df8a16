// The shipped smartgrid-thread bundle with its CoAP bridge on: ubus `nodes` and the node_seen event,
// as the topology page and the ACL use them; a node (coap-client) posts, mosquitto takes the reading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadNodesReply } from '../../../src/thread/contract.js';
import { startMosquitto, type Mosquitto } from '../../helpers/mosquitto.js';
import { waitUntil } from '../../helpers/ubus.js';
import { freeUdpPort, post, recorder, type Received } from './coap-harness.js';
import { startThreadService, type RunningThread } from './service-harness.js';

let broker: Mosquitto;
let thread: RunningThread;
let port: number;
let sub: { client: import('mqtt').MqttClient; messages: Received[] };

beforeAll(async () => {
  broker = await startMosquitto();
  port = await freeUdpPort();
  sub = await recorder(broker, ['telemetry/#']);
  thread = await startThreadService({ uci: { coap_listen: '::1', coap_port: port, mqtt_port: broker.port, region: 'eu', nodes: 'meter-uci 18b4300000000005 - north dcu-9' } });
}, 120_000);

afterAll(async () => {
  await sub?.client.endAsync(true);
  await thread?.stop();
  await broker?.dispose();
});

const nodes = async (): Promise<ThreadNodesReply> => (await thread.bus.client.call('smartgrid.thread', 'nodes')) as unknown as ThreadNodesReply;

describe('smartgrid-thread CoAP bridge over ubus', () => {
  it('nodes: the sockets, the UCI node before any contact, zero counters', async () => {
    await waitUntil(async () => (await nodes().catch(() => undefined))?.listening.length === 1, 30_000, 'the bridge listening');
    const reply = await nodes();
    expect(reply.listening).toEqual([{ address: '::1', port }]);
    expect(reply.nodes).toEqual([{ meter: 'meter-uci', eui64: '18b4300000000005', region: 'north', dcu: 'dcu-9', source: 'uci', state: 'configured', readings: 0, rejected: 0, duplicates: 0 }]);
    expect(reply.counters).toMatchObject({ received: 0, forwarded: 0, rejected: 0, bad_crc: 0 });
  }, 60_000);

  it('a reading from the UCI node goes to its own topic levels; node_seen is published and nodes shows the contact', async () => {
    await waitUntil(async () => (await post(port, 50, '{"meter":"meter-uci","eui64":"18b4300000000005","values":{"v":1}}', ['-v', '6'])).stdout.includes('c:2.04'), 20_000, 'a 2.04 (once the bridge is connected to mosquitto)');
    await waitUntil(() => sub.messages.some((m) => m.topic === 'telemetry/north/dcu-9/meter-uci'), 10_000, 'the reading in mosquitto');
    await waitUntil(() => thread.events.some((e) => e.what === 'smartgrid.thread.node_seen'), 10_000, 'node_seen');
    expect(thread.events.find((e) => e.what === 'smartgrid.thread.node_seen')!.data).toMatchObject({ meter: 'meter-uci', address: '::1', eui64: '18b4300000000005' });
    const reply = await nodes();
    expect(reply.nodes[0]).toMatchObject({ meter: 'meter-uci', address: '::1', state: 'active', readings: 1, last_contact: expect.any(Number) });
    expect(reply.counters.forwarded).toBe(1);
  }, 60_000);
});
