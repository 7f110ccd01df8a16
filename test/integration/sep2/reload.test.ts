import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFromCertificate } from '../../../src/sep2/tls/lfdi.js';
import { makeSep2Pki, type Pem, type Sep2Pki } from '../../helpers/sep2-pki.js';
import { freePort } from '../../helpers/mosquitto.js';
import { waitUntil } from '../../helpers/ubus.js';
import { mirrorUsagePointXml } from '../../unit/sep2/router-fixture.js';
import { sep2Request, startSep2, type RunningSep2 } from './harness.js';

describe('reload (SIGHUP after uci commit)', () => {
  let pki: Sep2Pki;
  let sep2: RunningSep2;
  const lfdi = (pem: Pem) => identityFromCertificate(pki.der(pem.cert)).lfdi;
  /** A port nothing listens on: the local broker is away for the whole test. */
  let brokerPort: number;
  beforeAll(async () => {
    pki = makeSep2Pki();
    brokerPort = await freePort();
    sep2 = await startSep2({ pki, options: { client: [`${lfdi(pki.clients.utility)}=utility`], unknown_clients: 'register', broker_port: brokerPort } });
  });
  afterAll(async () => { await sep2?.stop(); pki?.cleanup(); });

  it('a listed client takes effect without a restart; bad values are refused by name and the last good config keeps serving', async () => {
    const device = pki.clients.device;
    expect((await sep2Request(sep2.port, pki, device, 'POST', '/mup', { body: mirrorUsagePointXml({ lfdi: lfdi(device) }) })).status).toBe(403);
    const registered = await sep2.bus.client.call('smartgrid.sep2', 'clients', {}) as { clients: Array<{ lfdi: string; role: string }> };
    expect(registered.clients.find((client) => client.lfdi === lfdi(device))?.role).toBe('unregistered');

    const listed = [`${lfdi(pki.clients.utility)}=utility`, `${lfdi(device)}=device`];
    await sep2.reconfigure({ client: listed, unknown_clients: 'register', broker_port: brokerPort });
    await waitUntil(async () => (await sep2Request(sep2.port, pki, device, 'GET', '/mup')).status === 200, 20_000, 'the device to be listed');
    // The local broker is away: the mirror cannot be forwarded, so it is refused with 503 and not stored.
    expect((await sep2Request(sep2.port, pki, device, 'POST', '/mup', { body: mirrorUsagePointXml({ lfdi: lfdi(device) }) })).status).toBe(503);

    await sep2.reconfigure({ client: listed, broker_port: brokerPort, client_pin: [`${lfdi(device)}=123456`] });
    await waitUntil(async () => String((await sep2.status()).reload_error ?? '').includes('wrong check digit'), 20_000, 'the PIN to be refused');
    await sep2.reconfigure({ client: listed, broker_port: brokerPort, port: 'eighty' });
    await waitUntil(async () => JSON.stringify((await sep2.status()).config_errors ?? []).includes('smartgrid.sep2.port'), 20_000, 'the port to be refused');
    expect((await sep2Request(sep2.port, pki, device, 'GET', '/dcap')).status).toBe(200);
    expect((await sep2.status()).state).toBe('running');
  });
});
