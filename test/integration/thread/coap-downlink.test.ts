// Commands from MQTT to a node: libcoap's coap-server stands for the node's command resources.
import type { ChildProcess } from 'node:child_process';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mosquitto } from '../../helpers/mosquitto.js';
import { coapClient, coapServer, freeUdpPort, recorder, startBridge, startMosquitto, waitUntil, type BridgeRun, type Received } from './coap-harness.js';

describe('CoAP bridge downlink: MQTT command -> confirmable CoAP -> answer on the reply topic', () => {
  let broker: Mosquitto;
  let run: BridgeRun;
  let nodePort: number;
  let server: ChildProcess;
  let sub: { client: MqttClient; messages: Received[] };
  const replies = (meter: string) => sub.messages.filter((m) => m.topic === `command/eu/thread/${meter}/reply`).map((m) => JSON.parse(m.payload.toString()));

  beforeAll(async () => {
    broker = await startMosquitto();
    nodePort = await freeUdpPort();
    server = coapServer(nodePort, '::1', 1);
    run = await startBridge(broker, {
      coap_port: await freeUdpPort(), node_port: nodePort, command_method: 'PUT', command_timeout: 3, command_retries: 1,
      nodes: ['meter-cmd - ::1', `meter-none - -`],
    });
    sub = await recorder(broker, ['command/#']);
    await waitUntil(async () => /2\.05|Content/.test((await coapClient(['-m', 'get', '-B', '3', '-v', '6', `coap://[::1]:${nodePort}/`]).done).stdout), 'coap-server to answer');
  });

  afterAll(async () => {
    await sub?.client.endAsync(true);
    await run?.stop();
    server?.kill('SIGTERM');
    await broker?.dispose();
  });

  it('ok: the node gets the params on rpc/{method} and its answer code is the RPC result', async () => {
    await sub.client.publishAsync('command/eu/thread/meter-cmd', JSON.stringify({ id: 41, method: 'relay', params: { on: true } }), { qos: 1 });
    await waitUntil(() => replies('meter-cmd').length === 1, 'the answer on the reply topic');
    expect(replies('meter-cmd')).toEqual([{ id: 41, data: { code: '2.01' } }]);
    const stored = await coapClient(['-m', 'get', '-B', '5', `coap://[::1]:${nodePort}/rpc/relay`]).done;
    expect(JSON.parse(stored.stdout)).toEqual({ on: true });
    expect(run.bridge.counters.downlink_ok).toBe(1);
  });

  it('an error answer of the node is the RPC error (coap-server holds one resource: 4.06 for a second); a malformed command is not sent', async () => {
    await sub.client.publishAsync('command/eu/thread/meter-cmd', JSON.stringify({ id: 42, method: 'x'.repeat(40) + '/..', params: {} }), { qos: 1 });
    await sub.client.publishAsync('command/eu/thread/meter-cmd', JSON.stringify({ id: 43, method: 'time', params: {} }), { qos: 1 });
    await waitUntil(() => replies('meter-cmd').some((r) => r.id === 43), 'the answer to id 43');
    expect(replies('meter-cmd').find((r) => r.id === 43)).toEqual({ id: 43, error: expect.stringMatching(/^4\.06/) });
    expect(replies('meter-cmd').some((r) => r.id === 42)).toBe(false);
  });

  it('unreachable: a meter with no address known', async () => {
    await sub.client.publishAsync('command/eu/thread/meter-none', JSON.stringify({ id: 7, method: 'relay', params: {} }), { qos: 1 });
    await waitUntil(() => replies('meter-none').length === 1, 'the unreachable answer');
    expect(replies('meter-none')).toEqual([{ id: 7, error: 'unreachable: no address known for meter meter-none (no reading yet, none in smartgrid.thread.nodes)' }]);
    expect(run.bridge.counters.downlink_unreachable).toBe(1);
  });

  it('timeout: the node does not answer (coap-server stopped), after the retransmissions', async () => {
    server.kill('SIGSTOP');
    try {
      await sub.client.publishAsync('command/eu/thread/meter-cmd', JSON.stringify({ id: 44, method: 'relay', params: { on: false } }), { qos: 1 });
      await waitUntil(() => replies('meter-cmd').some((r) => r.id === 44), 'the timeout answer', 20_000);
    } finally {
      server.kill('SIGCONT');
    }
    expect(replies('meter-cmd').find((r) => r.id === 44)).toEqual({ id: 44, error: `timeout: no CoAP answer from [::1]:${nodePort} to 2 transmissions within 3000 ms` });
    expect(run.bridge.counters.downlink_timeout).toBe(1);
  });

  it('commands for meters that are not Thread nodes are left alone', async () => {
    await sub.client.publishAsync('command/eu/dcu-4/meter-elsewhere', JSON.stringify({ id: 9, method: 'relay', params: {} }), { qos: 1 });
    await sub.client.publishAsync('command/eu/thread/meter-none', JSON.stringify({ id: 8, method: 'relay', params: {} }), { qos: 1 });
    await waitUntil(() => replies('meter-none').some((r) => r.id === 8), 'the answer to the later command');
    expect(sub.messages.some((m) => m.topic === 'command/eu/dcu-4/meter-elsewhere/reply')).toBe(false);
  });
});
