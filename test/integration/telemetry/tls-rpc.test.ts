import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCerts, type TestCerts } from '../../helpers/certs.js';
import { startMosquitto, type Mosquitto } from '../../helpers/mosquitto.js';
import { localPublisher, startService, UpstreamObserver, upstreamConfig, waitFor, type RunningService, serviceReady } from './harness.js';

describe('upstream TLS: mutual TLS, wrong CA, and downlink RPC', () => {
  let certs: TestCerts;
  let local: Mosquitto;
  let upstream: Mosquitto;
  let observer: UpstreamObserver;
  const services: RunningService[] = [];
  let publisher: MqttClient;

  beforeAll(async () => {
    certs = generateCerts();
    local = await startMosquitto({ maxInflight: 1000 });
    upstream = await startMosquitto({ tls: { certs, requireCertificate: true }, plain: false });
    observer = await UpstreamObserver.connect(`mqtts://localhost:${upstream.tlsPort}`, certs);
    publisher = await localPublisher(local);
  });

  afterAll(async () => {
    await publisher?.endAsync(true);
    for (const running of services) await running.stop();
    await observer?.close();
    await local?.dispose();
    await upstream?.dispose();
    certs?.cleanup();
  });

  it('connects with a client certificate (mTLS) and forwards readings', async () => {
    const running = await startService({ broker_port: local.port, broker_client_id: 'fw-mtls', ...upstreamConfig(upstream, certs, { upstream_cert_file: certs.clientCert, upstream_key_file: certs.clientKey }) });
    services.push(running);
    await waitFor(() => serviceReady(running), 15_000, 'mTLS connect');
    await publisher.publishAsync('telemetry/eu/dcu9/mtls-1', JSON.stringify({ ts: Date.UTC(2026, 0, 1), values: { energy_import_kwh: 1 } }), { qos: 1 });
    await waitFor(() => observer.telemetry.has('mtls-1'), 10_000, 'reading upstream');
  });

  it('refuses an upstream whose certificate is not signed by the configured CA, and one without client cert', async () => {
    const wrongCa = await startService({ broker_port: local.port, broker_client_id: 'fw-wrong-ca', upstream_client_id: 'gw-wrong-ca', ...upstreamConfig(upstream, certs, { upstream_ca_file: certs.wrongCaCert, upstream_cert_file: certs.clientCert, upstream_key_file: certs.clientKey }) });
    services.push(wrongCa);
    const noCert = await startService({ broker_port: local.port, broker_client_id: 'fw-no-cert', upstream_client_id: 'gw-no-cert', ...upstreamConfig(upstream, certs) });
    services.push(noCert);
    const wrongClient = await startService({ broker_port: local.port, broker_client_id: 'fw-wrong-client', upstream_client_id: 'gw-wrong-client', ...upstreamConfig(upstream, certs, { upstream_cert_file: certs.wrongClientCert, upstream_key_file: certs.wrongClientKey }) });
    services.push(wrongClient);
    await waitFor(() => [wrongCa, noCert, wrongClient].every((s) => String(s.service.status().last_error) !== ''), 10_000, 'TLS errors reported');
    await new Promise((r) => setTimeout(r, 500));
    for (const s of [wrongCa, noCert, wrongClient]) expect(s.service.status().connection).not.toBe('connected');
    expect(String(wrongCa.service.status().last_error)).toMatch(/certificate|self.signed|unable to verify/i);
  });

  it('routes a ThingsBoard RPC to the meter command topic and the answer back; times out without an answer', async () => {
    // Only one gateway may be subscribed to v1/gateway/rpc here.
    for (const earlier of services.splice(0)) await earlier.stop();
    const running = await startService({ broker_port: local.port, broker_client_id: 'fw-rpc', upstream_client_id: 'gw-rpc', rpc_timeout_ms: 800, ...upstreamConfig(upstream, certs, { upstream_cert_file: certs.clientCert, upstream_key_file: certs.clientKey }) });
    services.push(running);
    await waitFor(() => serviceReady(running), 15_000, 'rpc forwarder ready');
    await publisher.publishAsync('telemetry/north/dcu7/rpc-meter', JSON.stringify({ ts: Date.UTC(2026, 0, 1), values: { energy_import_kwh: 1 } }), { qos: 1 });
    await waitFor(() => observer.telemetry.has('rpc-meter'), 10_000, 'meter known');
    const device = await localPublisher(local, 'device-rpc-meter');
    await device.subscribeAsync('command/north/dcu7/rpc-meter', { qos: 1 });
    const commands: Array<Record<string, unknown>> = [];
    device.on('message', (_topic, payload) => {
      const command = JSON.parse(payload.toString());
      commands.push(command);
      if (command.method === 'getRelay') void device.publishAsync('command/north/dcu7/rpc-meter/reply', JSON.stringify({ id: command.id, data: { relay: 'closed' } }), { qos: 1 });
    });
    // ThingsBoard's side: a server-side RPC arriving for the gateway.
    await observer.client.publishAsync('v1/gateway/rpc', JSON.stringify({ device: 'rpc-meter', data: { id: 41, method: 'getRelay', params: {} } }), { qos: 1 });
    await waitFor(() => observer.rpcReplies.some((r) => (r as { id: number }).id === 41), 10_000, 'rpc answer upstream');
    expect(commands[0]).toEqual({ id: 41, method: 'getRelay', params: {} });
    expect(observer.rpcReplies.find((r) => (r as { id: number }).id === 41)).toEqual({ device: 'rpc-meter', id: 41, data: { relay: 'closed' } });

    await observer.client.publishAsync('v1/gateway/rpc', JSON.stringify({ device: 'rpc-meter', data: { id: 42, method: 'reboot', params: { delay: 1 } } }), { qos: 1 });
    await waitFor(() => observer.rpcReplies.some((r) => (r as { id: number }).id === 42), 10_000, 'rpc timeout upstream');
    const timeout = observer.rpcReplies.find((r) => (r as { id: number }).id === 42) as { data: { error: string } };
    expect(timeout.data.error).toMatch(/timeout/);
    expect(commands.map((c) => c.method)).toEqual(['getRelay', 'reboot']);

    await observer.client.publishAsync('v1/gateway/rpc', JSON.stringify({ device: 'never-seen', data: { id: 43, method: 'x' } }), { qos: 1 });
    await waitFor(() => observer.rpcReplies.some((r) => (r as { id: number }).id === 43), 10_000, 'unknown device answer');
    expect(String((observer.rpcReplies.find((r) => (r as { id: number }).id === 43) as { data: { error: string } }).data.error)).toMatch(/unknown device/);
    await device.endAsync(true);
  });
});
