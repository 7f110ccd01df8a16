import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TELEMETRY_NODE_FLAGS } from '../../../tools/feed/catalog.js';
import { identityFromCertificate } from '../../../src/sep2/tls/lfdi.js';
import { assertValidSep } from '../../helpers/sep-xsd.js';
import { makeSep2Pki, type Sep2Pki } from '../../helpers/sep2-pki.js';
import { waitUntil } from '../../helpers/ubus.js';
import { localPublisher, startBrokers, type Brokers } from '../telemetry/harness.js';
import { mirrorUsagePointXml, MUP_MRID } from '../../unit/sep2/router-fixture.js';
import { bundleService, sep2Request, startSep2, terminate, uciSection, type RunningSep2 } from './harness.js';

describe('end to end: local broker -> /upt, /mup -> telemetry forwarder -> ThingsBoard-like upstream', () => {
  let pki: Sep2Pki;
  let brokers: Brokers;
  let sep2: RunningSep2;
  let forwarder: ChildProcess;
  let publisher: MqttClient;
  let queueDir: string;
  let lfdi: { utility: string; device: string };

  beforeAll(async () => {
    pki = makeSep2Pki();
    brokers = await startBrokers();
    queueDir = mkdtempSync(join(tmpdir(), 'sg-sep2-queue-'));
    lfdi = {
      utility: identityFromCertificate(pki.der(pki.clients.utility.cert)).lfdi,
      device: identityFromCertificate(pki.der(pki.clients.device.cert)).lfdi,
    };
    const telemetry = uciSection('telemetry', {
      broker_port: brokers.local.port, upstream_host: 'localhost', upstream_port: brokers.upstream.tlsPort, upstream_ca_file: brokers.certs.caCert,
      upstream_client_id: 'gw-sep2-e2e', queue_dir: queueDir, backoff_initial_ms: 200,
    });
    sep2 = await startSep2({
      pki, otherSections: telemetry,
      options: { broker_port: brokers.local.port, client: [`${lfdi.utility}=utility`, `${lfdi.device}=device`] },
    });
    const bundle = await bundleService('telemetry', sep2.dir);
    forwarder = spawn(process.execPath, [...TELEMETRY_NODE_FLAGS, bundle], {
      stdio: 'ignore', env: { ...process.env, SMARTGRID_UCI_DIR: join(sep2.dir, 'uci'), SMARTGRID_UBUS_SOCKET: sep2.bus.socketPath },
    });
    await waitUntil(async () => {
      const status = await sep2.bus.client.call('smartgrid.telemetry', 'status', {}).catch(() => undefined);
      return status?.connection === 'connected' && status.local_broker === 'connected';
    }, 30_000, 'the telemetry forwarder to connect both brokers');
    await waitUntil(async () => (await sep2.status()).local_broker === 'connected', 20_000, 'sep2 to connect to the local broker');
    publisher = await localPublisher(brokers.local);
  });

  afterAll(async () => {
    await publisher?.endAsync(true);
    if (forwarder) await terminate(forwarder);
    await sep2?.stop();
    await brokers?.close();
    pki?.cleanup();
    if (queueDir) rmSync(queueDir, { recursive: true, force: true });
  });

  it('a reading published on the local broker appears in /upt within one second', async () => {
    const ts = Date.now();
    const published = Date.now();
    await publisher.publishAsync('telemetry/eu/dcu-7/meter-e2e', JSON.stringify({ ts, values: { '1-0:1.8.0': 4321.5, '1-0:32.7.0': 229.8 } }), { qos: 1 });
    let list = '';
    await waitUntil(async () => {
      list = (await sep2Request(sep2.port, pki, pki.clients.utility, 'GET', '/upt?l=255')).body;
      return list.includes('<description>meter-e2e</description>');
    }, 10_000, 'meter-e2e in /upt');
    const latencyMs = Date.now() - published;
    console.log(`reading -> /upt: ${latencyMs} ms`);
    expect(latencyMs).toBeLessThan(1000);
    assertValidSep(list);
    const index = /<UsagePoint href="\/upt\/(\d+)"><mRID>[0-9A-F]{32}<\/mRID><description>meter-e2e</.exec(list)![1];
    const readings = (await sep2Request(sep2.port, pki, pki.clients.utility, 'GET', `/upt/${index}/mr?l=10`)).body;
    assertValidSep(readings);
    const energy = /<MeterReading href="\/upt\/\d+\/mr\/(\d+)"><mRID>[0-9A-F]{32}<\/mRID><description>1-0:1\.8\.0</.exec(readings)![1];
    const reading = (await sep2Request(sep2.port, pki, pki.clients.utility, 'GET', `/upt/${index}/mr/${energy}/r`)).body;
    assertValidSep(reading);
    expect(reading).toContain(`<start>${Math.floor(ts / 1000)}</start>`);
    expect(reading).toContain('<value>4321500</value>');
  });

  it('a MirrorUsagePoint POST reaches the upstream through the real telemetry forwarder', async () => {
    const start = Math.floor(Date.now() / 1000);
    const body = mirrorUsagePointXml({ lfdi: lfdi.device, value: 777000, start });
    const answer = await sep2Request(sep2.port, pki, pki.clients.device, 'POST', '/mup', { body });
    expect(answer.status).toBe(201);
    expect(answer.headers.location).toBe('/mup/0');
    await waitUntil(() => (brokers.observer.telemetry.get(MUP_MRID) ?? []).length > 0, 30_000, 'the mirrored reading upstream');
    expect(brokers.observer.telemetry.get(MUP_MRID)).toEqual([{ ts: start * 1000, values: { energy_import_kwh: 777 } }]);
    const again = await sep2Request(sep2.port, pki, pki.clients.device, 'POST', '/mup', { body: mirrorUsagePointXml({ lfdi: lfdi.device, value: 778000, start: start + 60 }) });
    expect(again.status).toBe(204);
    await waitUntil(() => (brokers.observer.telemetry.get(MUP_MRID) ?? []).length > 1, 30_000, 'the second mirrored reading upstream');
    expect(brokers.observer.telemetry.get(MUP_MRID)![1]).toEqual({ ts: (start + 60) * 1000, values: { energy_import_kwh: 778 } });
    await waitUntil(async () => (await sep2Request(sep2.port, pki, pki.clients.utility, 'GET', '/upt?l=255')).body.includes(`<deviceLFDI>${lfdi.device}</deviceLFDI>`), 10_000, 'the mirror as a UsagePoint with its device LFDI');
  });

  it('ubus smartgrid.sep2 reports the listener, the broker and the clients seen by LFDI', async () => {
    const status = await sep2.status();
    expect(status).toMatchObject({ state: 'running', listening: true, port: sep2.port, local_broker: 'connected', ciphers: ['ECDHE-ECDSA-AES128-CCM8'], mirrors: 1 });
    const { clients } = await sep2.bus.client.call('smartgrid.sep2', 'clients', {}) as { clients: Array<Record<string, unknown>> };
    expect(clients.find((client) => client.lfdi === lfdi.device)).toMatchObject({ role: 'device', enabled: true, last_request: 'POST /mup 204' });
    expect(clients.find((client) => client.lfdi === lfdi.utility)).toMatchObject({ role: 'utility' });
  });
});
