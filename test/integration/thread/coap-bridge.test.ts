// The CoAP bridge with libcoap's coap-client as the Thread node and a real mosquitto: JSON, CBOR and
// binary readings, rejects, 2.04 only after the PUBACK, 5.03 while the broker is away.
import { encode as encodeCbor } from 'cbor-x';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../src/thread/coap/frame.js';
import { coapClient, freeUdpPort, post, recorder, startBridge, startMosquitto, waitUntil, type BridgeRun, type Received } from './coap-harness.js';
import type { Mosquitto } from '../../helpers/mosquitto.js';
import type { MqttClient } from 'mqtt';

const FRAME = { eui64: '18b4300000000002', meter: 'meter-bin', timestamp: 1_765_000_000, values: [{ obis: [1, 8, 0] as [number, number, number], scaler: -2, raw: 1234567 }] };

describe('CoAP bridge: coap-client as the node, mosquitto as the local broker', () => {
  let broker: Mosquitto;
  let run: BridgeRun;
  let port: number;
  let sub: { client: MqttClient; messages: Received[] };
  const arrived = (meter: string) => sub.messages.filter((m) => m.topic === `telemetry/eu/thread/${meter}`).map((m) => JSON.parse(m.payload.toString()));

  beforeAll(async () => {
    broker = await startMosquitto();
    port = await freeUdpPort();
    run = await startBridge(broker, { coap_port: port, node_rate: 1000, node_burst: 1000, coap_max_payload: 256, mqtt_puback_timeout: 60 });
    sub = await recorder(broker, ['telemetry/#']);
  });

  afterAll(async () => {
    await sub?.client.endAsync(true);
    await run?.stop();
    await broker?.dispose();
  });

  it('JSON: 2.04, the reading on telemetry/{region}/{dcu}/{meter}, the node learned', async () => {
    const answer = await post(port, 50, '{"meter":"meter-json","eui64":"18b4300000000007","ts":1765000000,"values":{"voltage_l1_v":230.1}}', ['-v', '6']);
    expect(answer.stdout).toMatch(/t:ACK c:2\.04/);
    await waitUntil(() => arrived('meter-json').length === 1, 'the JSON reading in mosquitto');
    expect(arrived('meter-json')).toEqual([{ ts: 1765000000, meter: 'meter-json', values: { voltage_l1_v: 230.1 } }]);
    expect(run.bridge.nodeViews().find((n) => n.meter === 'meter-json')).toMatchObject({ address: '::1', eui64: '18b4300000000007', source: 'learned', state: 'active', readings: 1 });
    expect(run.events).toContainEqual({ what: 'node_seen', data: expect.objectContaining({ meter: 'meter-json', address: '::1' }) });
  });

  it('CBOR: 2.04 and the same reading', async () => {
    const answer = await post(port, 60, encodeCbor({ meter: 'meter-cbor', ts: 1765000001, values: { energy_import_kwh: 12.5 } }), ['-v', '6']);
    expect(answer.stdout).toMatch(/t:ACK c:2\.04/);
    await waitUntil(() => arrived('meter-cbor').length === 1, 'the CBOR reading in mosquitto');
    expect(arrived('meter-cbor')).toEqual([{ ts: 1765000001, meter: 'meter-cbor', values: { energy_import_kwh: 12.5 } }]);
  });

  it('binary frame: 2.04, OBIS values scaled, timestamp in ms', async () => {
    const answer = await post(port, 42, encodeFrame(FRAME), ['-v', '6']);
    expect(answer.stdout).toMatch(/t:ACK c:2\.04/);
    await waitUntil(() => arrived('meter-bin').length === 1, 'the binary reading in mosquitto');
    expect(arrived('meter-bin')).toEqual([{ ts: 1_765_000_000_000, meter: 'meter-bin', obis: { '1-0:1.8.0': 12345.67 } }]);
  });

  it('bad CRC: 4.00 with the reason, counted, nothing published', async () => {
    const before = { ...run.bridge.counters };
    const bad = encodeFrame({ ...FRAME, meter: 'meter-crc' });
    bad[bad.length - 1] ^= 0x5a;
    const answer = await post(port, 42, bad);
    expect(answer.stderr).toMatch(/^4\.00 bad CRC: frame says 0x[0-9a-f]{4}, CRC-16\/CCITT-FALSE of its \d+ bytes is 0x[0-9a-f]{4}/);
    expect(run.bridge.counters.bad_crc).toBe(before.bad_crc + 1);
    expect(run.bridge.counters.rejected).toBe(before.rejected + 1);
    // The same frame with its CRC intact arrives; the bad one never did.
    await post(port, 42, encodeFrame({ ...FRAME, meter: 'meter-crc' }));
    await waitUntil(() => arrived('meter-crc').length === 1, 'the good frame in mosquitto');
    expect(arrived('meter-crc')).toHaveLength(1);
  });

  it('oversized, malformed and unsupported payloads get their reject code', async () => {
    expect((await post(port, 50, `{"meter":"m","values":{"v":"${'x'.repeat(300)}"}}`)).stderr).toMatch(/^4\.13 payload of \d+ bytes exceeds 256/);
    expect((await post(port, 50, '{"meter":"m","values":{}}')).stderr).toMatch(/^4\.00 reading \/values must NOT have fewer than 1 properties/);
    expect((await post(port, 40, 'hello')).stderr).toMatch(/^4\.15 Content-Format 40 is not one of/);
    expect((await coapClient(['-m', 'get', '-B', '10', `coap://[::1]:${port}/t`]).done).stderr).toMatch(/^4\.05 GET not allowed on \/t/);
    expect((await coapClient(['-m', 'post', '-e', '{}', '-B', '10', `coap://[::1]:${port}/other`]).done).stderr).toMatch(/^4\.04 no resource \/other here/);
  });

  it('a confirmable reading is ACKed only after the PUBACK: with mosquitto stopped (SIGSTOP) the node gets no 2.xx and retransmits', async () => {
    const before = { ...run.bridge.counters };
    broker.pause();
    const node = coapClient(['-m', 'post', '-t', '50', '-e', '{"meter":"meter-held","values":{"v":1}}', '-B', '60', '-v', '7', `coap://[::1]:${port}/t`]);
    try {
      // The node's first retransmission (about 2-3 s later) reaches the bridge while the publish waits: dropped as a duplicate.
      await waitUntil(() => run.bridge.counters.duplicates > before.duplicates, 'the node to retransmit', 30_000);
      expect(node.exited).toBe(false);
      expect(node.stdout).toMatch(/t:CON c:POST/);
      expect(node.stdout).not.toMatch(/c:2\.\d\d/);
      expect(run.bridge.counters.forwarded).toBe(before.forwarded);
      expect(arrived('meter-held')).toEqual([]);
    } finally {
      broker.resume();
    }
    const answer = await node.done;
    expect(answer.stdout).toMatch(/t:ACK c:2\.04/);
    expect(answer.stdout.indexOf('retransmission')).toBeGreaterThan(-1);
    expect(answer.stdout.indexOf('retransmission')).toBeLessThan(answer.stdout.indexOf('c:2.04'));
    await waitUntil(() => arrived('meter-held').length === 1, 'the held reading in mosquitto');
    expect(run.bridge.counters.forwarded).toBe(before.forwarded + 1);
  });

  it('with the broker gone the node gets 5.03, never a success', async () => {
    await broker.stop();
    try {
      await waitUntil(() => !run.bridge.brokerConnected, 'the bridge to see the broker gone');
      const answer = await post(port, 50, '{"meter":"meter-down","values":{"v":1}}', ['-v', '6']);
      expect(answer.stdout).not.toMatch(/c:2\.\d\d/);
      expect(answer.stderr).toMatch(/^5\.03 reading not taken, try again: local broker not connected/);
    } finally {
      await broker.restart();
    }
    await waitUntil(() => run.bridge.brokerConnected, 'the bridge to reconnect');
  });
});

describe('CoAP bridge: nodes lost and seen again', () => {
  it('a node not heard for node_lost_after is lost (node_lost), and seen again with its next reading', { timeout: 60_000 }, async () => {
    const broker = await startMosquitto();
    const port = await freeUdpPort();
    const run = await startBridge(broker, { coap_port: port, node_lost_after: 5 });
    try {
      await post(port, 50, '{"meter":"meter-quiet","values":{"v":1}}');
      await waitUntil(() => run.events.some((e) => e.what === 'node_lost'), 'node_lost', 30_000);
      expect(run.events.map((e) => e.what)).toEqual(['node_seen', 'node_lost']);
      expect(run.events[1]!.data).toMatchObject({ meter: 'meter-quiet', address: '::1', last_contact: expect.any(Number) });
      expect(run.bridge.nodeViews()[0]).toMatchObject({ meter: 'meter-quiet', state: 'lost' });
      await post(port, 50, '{"meter":"meter-quiet","values":{"v":2}}');
      expect(run.events.map((e) => e.what)).toEqual(['node_seen', 'node_lost', 'node_seen']);
      expect(run.bridge.nodeViews()[0]).toMatchObject({ state: 'active', readings: 2 });
    } finally {
      await run.stop();
      await broker.dispose();
    }
  });
});
