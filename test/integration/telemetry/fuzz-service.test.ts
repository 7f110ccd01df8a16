import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzPayloads } from '../../unit/telemetry/fuzz-payloads.js';
import { localPublisher, startBrokers, startService, upstreamConfig, waitFor, type Brokers, type RunningService, serviceReady } from './harness.js';

describe('fuzzed payloads through the running service', () => {
  let brokers: Brokers;
  let running: RunningService;
  let publisher: MqttClient;

  beforeAll(async () => {
    brokers = await startBrokers({ upstreamPersistence: false });
    running = await startService({ broker_port: brokers.local.port, broker_client_id: 'fw-fuzz', ...upstreamConfig(brokers.upstream, brokers.certs) });
    await waitFor(() => serviceReady(running), 15_000, 'ready');
    publisher = await localPublisher(brokers.local);
  });

  afterAll(async () => {
    await publisher?.endAsync(true);
    await running?.stop();
    await brokers?.close();
  });

  it('3,000 malformed and mutated messages over MQTT leave the service running and forwarding', async () => {
    const payloads = fuzzPayloads(3000, 99);
    for (let i = 0; i < payloads.length; i += 100) {
      await Promise.all(payloads.slice(i, i + 100).map((p, j) => publisher.publishAsync(`telemetry/fz/d${j % 3}/f${j % 11}`, p, { qos: 1 })));
    }
    await publisher.publishAsync('telemetry/fz/d0/after-fuzz', JSON.stringify({ ts: Date.UTC(2026, 0, 1), values: { energy_import_kwh: 1 } }), { qos: 1 });
    await waitFor(() => brokers.observer.telemetry.has('after-fuzz'), 20_000, 'a valid reading after the fuzz');
    const status = running.service.status();
    expect(status.local_broker).toBe('connected');
    expect(status.connection).toBe('connected');
    const rejects = status.rejects as Record<string, number>;
    expect(Object.values(rejects).reduce((a, b) => a + b, 0)).toBeGreaterThan(500);
    expect(rejects.internal ?? 0).toBe(0);
  }, 60_000);
});
