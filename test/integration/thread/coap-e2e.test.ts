// End to end: a node (coap-client) POSTs readings -> CoAP bridge -> local mosquitto -> the shipped
// telemetry forwarder bundle -> a ThingsBoard-like upstream (mosquitto over TLS); and a ThingsBoard RPC
// -> forwarder -> command topic -> bridge -> the node's CoAP resource (coap-server) -> RPC reply.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TELEMETRY_NODE_FLAGS } from '../../../tools/feed/catalog.js';
import { encodeFrame } from '../../../src/thread/coap/frame.js';
import { startTestUbus, type TestUbus } from '../../helpers/ubus.js';
import { bundleService, terminate, uciSection } from '../sep2/harness.js';
import { startBrokers, type Brokers } from '../telemetry/harness.js';
import { coapClient, coapServer, freeUdpPort, post, startBridge, waitUntil, type BridgeRun } from './coap-harness.js';

describe('end to end: Thread node CoAP -> bridge -> mosquitto -> telemetry forwarder -> ThingsBoard, and RPC back to the node', () => {
  let brokers: Brokers;
  let bus: TestUbus;
  let dir: string;
  let forwarder: ChildProcess;
  let run: BridgeRun;
  let bridgePort: number;
  let nodePort: number;
  let nodeServer: ChildProcess;

  beforeAll(async () => {
    brokers = await startBrokers();
    bus = await startTestUbus();
    dir = mkdtempSync(join(tmpdir(), 'sg-coap-e2e-'));
    mkdirSync(join(dir, 'uci'));
    writeFileSync(join(dir, 'uci', 'smartgrid'), uciSection('telemetry', {
      broker_port: brokers.local.port, upstream_host: 'localhost', upstream_port: brokers.upstream.tlsPort, upstream_ca_file: brokers.certs.caCert,
      upstream_client_id: 'gw-coap-e2e', queue_dir: join(dir, 'queue'), backoff_initial_ms: 200,
    }));
    const bundle = await bundleService('telemetry', dir);
    forwarder = spawn(process.execPath, [...TELEMETRY_NODE_FLAGS, bundle], {
      stdio: 'ignore', env: { ...process.env, SMARTGRID_UCI_DIR: join(dir, 'uci'), SMARTGRID_UBUS_SOCKET: bus.socketPath },
    });
    await waitUntil(async () => {
      const status = await bus.client.call('smartgrid.telemetry', 'status', {}).catch(() => undefined);
      return status?.connection === 'connected' && status.local_broker === 'connected';
    }, 'the telemetry forwarder to connect both brokers', 30_000);
    bridgePort = await freeUdpPort();
    nodePort = await freeUdpPort();
    nodeServer = coapServer(nodePort);
    run = await startBridge(brokers.local, { coap_port: bridgePort, node_port: nodePort, command_method: 'PUT', node_rate: 100, node_burst: 100 });
    await waitUntil(async () => /2\.05/.test((await coapClient(['-m', 'get', '-B', '3', '-v', '6', `coap://[::1]:${nodePort}/`]).done).stdout), 'coap-server to answer');
  });

  afterAll(async () => {
    await run?.stop();
    nodeServer?.kill('SIGTERM');
    if (forwarder) await terminate(forwarder);
    await bus?.stop();
    await brokers?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('JSON and binary readings from the node reach ThingsBoard as the meter device telemetry', async () => {
    const ts = Math.floor(Date.now() / 1000);
    expect((await post(bridgePort, 50, JSON.stringify({ meter: 'meter-e2e', ts, values: { '1-0:32.7.0': 229.8 } }), ['-v', '6'])).stdout).toMatch(/c:2\.04/);
    const frame = encodeFrame({ eui64: '18b4300000000002', meter: 'meter-e2e', timestamp: ts + 1, values: [{ obis: [1, 8, 0], scaler: -1, raw: 43215 }] });
    expect((await post(bridgePort, 42, frame, ['-v', '6'])).stdout).toMatch(/c:2\.04/);
    await waitUntil(() => (brokers.observer.telemetry.get('meter-e2e')?.length ?? 0) === 2, 'both readings upstream', 30_000);
    expect(brokers.observer.connects).toContain('meter-e2e');
    expect(brokers.observer.telemetry.get('meter-e2e')).toEqual([
      { ts: ts * 1000, values: { voltage_l1_v: 229.8 } },
      { ts: (ts + 1) * 1000, values: { energy_import_kwh: 4321.5 } },
    ]);
  });

  it('a ThingsBoard RPC to the meter goes to the node as CoAP and its answer is the RPC reply', async () => {
    await waitUntil(() => brokers.observer.connects.includes('meter-e2e'), 'the meter known upstream');
    await brokers.observer.client.publishAsync('v1/gateway/rpc', JSON.stringify({ device: 'meter-e2e', data: { id: 77, method: 'relay', params: { on: true } } }), { qos: 1 });
    await waitUntil(() => brokers.observer.rpcReplies.length === 1, 'the RPC reply upstream', 30_000);
    expect(brokers.observer.rpcReplies).toEqual([{ device: 'meter-e2e', id: 77, data: { code: '2.01' } }]);
    const stored = await coapClient(['-m', 'get', '-B', '5', `coap://[::1]:${nodePort}/rpc/relay`]).done;
    expect(JSON.parse(stored.stdout)).toEqual({ on: true });
  });
});
