import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LFDI, mirrorUsagePointXml, routerFixture, type RouterFixture } from './router-fixture.js';

describe('access by role (UCI client list)', () => {
  let fixture: RouterFixture;
  beforeEach(async () => {
    fixture = routerFixture();
    fixture.usagePoints.ingest({ meter: 'meter-1', ts: Date.UTC(2026, 0, 1), values: { energy_import_kwh: 1 } });
    expect((await fixture.request(LFDI.device, 'POST', '/mup', mirrorUsagePointXml({ lfdi: LFDI.device }))).status).toBe(201);
    expect((await fixture.request(LFDI.other, 'POST', '/mup', mirrorUsagePointXml({ lfdi: LFDI.other, mrid: '0A0B0C0D0E0F101112131415161718AC' }))).status).toBe(201);
  });
  afterEach(() => fixture.cleanup());

  const status = async (who: string, method: string, path: string, body?: string) => (await fixture.request(who, method, path, body)).status;
  const edevOf = (lfdi: string) => `/edev/${fixture.devices.find(lfdi)!.index}`;

  it('utility reads every EndDevice, usage point and mirror and posts mirrors for any device', async () => {
    expect((await fixture.request(LFDI.utility, 'GET', '/edev?l=10')).xml).toMatch(/all="4" results="4"/);
    expect(await status(LFDI.utility, 'GET', edevOf(LFDI.device))).toBe(200);
    expect(await status(LFDI.utility, 'GET', '/upt/0')).toBe(200);
    expect(await status(LFDI.utility, 'GET', '/mup/1')).toBe(200);
    expect(await status(LFDI.utility, 'POST', '/mup', mirrorUsagePointXml({ lfdi: LFDI.customer, mrid: '0A0B0C0D0E0F1011121314151617FFFF' }))).toBe(201);
  });

  it('customer reads usage points and only its own EndDevice and mirrors, and posts nothing', async () => {
    const list = (await fixture.request(LFDI.customer, 'GET', '/edev?l=10')).xml!;
    expect(list).toMatch(/all="1" results="1"/);
    expect(list).toContain(LFDI.customer);
    expect(await status(LFDI.customer, 'GET', edevOf(LFDI.customer))).toBe(200);
    expect(await status(LFDI.customer, 'GET', edevOf(LFDI.device))).toBe(403);
    expect(await status(LFDI.customer, 'GET', '/upt/0/mr/0/r')).toBe(200);
    expect(await status(LFDI.customer, 'GET', '/mup/0')).toBe(403);
    expect((await fixture.request(LFDI.customer, 'GET', '/mup?l=10')).xml).toMatch(/all="0" results="0"/);
    expect(await status(LFDI.customer, 'POST', '/mup', mirrorUsagePointXml({ lfdi: LFDI.customer, mrid: '0A0B0C0D0E0F1011121314151617EEEE' }))).toBe(403);
  });

  it('device posts and reads only its own mirrors and sees no usage points', async () => {
    expect(await status(LFDI.device, 'GET', '/mup/0')).toBe(200);
    expect(await status(LFDI.device, 'GET', '/mup/1')).toBe(403);
    expect((await fixture.request(LFDI.device, 'GET', '/mup?l=10')).xml).toMatch(/all="1" results="1"/);
    expect(await status(LFDI.device, 'POST', '/mup', mirrorUsagePointXml({ lfdi: LFDI.other, mrid: '0A0B0C0D0E0F1011121314151617DDDD' }))).toBe(403);
    expect(await status(LFDI.device, 'POST', '/mup/1', '<MirrorMeterReading xmlns="http://ieee.org/2030.5"/>')).toBe(403);
    expect(await status(LFDI.device, 'DELETE', '/mup/1')).toBe(403);
    expect(await status(LFDI.device, 'GET', '/upt')).toBe(403);
    expect(await status(LFDI.other, 'POST', '/mup', mirrorUsagePointXml({ lfdi: LFDI.other }))).toBe(409);
  });

  it('an unlisted client gets 403, or with unknown_clients=register a disabled EndDevice of its own and nothing more', async () => {
    expect(await status(LFDI.stranger, 'GET', '/dcap')).toBe(403);
    expect(fixture.devices.find(LFDI.stranger)).toBeUndefined();
    fixture.setUnknownClients('register');
    expect(await status(LFDI.stranger, 'GET', '/dcap')).toBe(200);
    const own = fixture.devices.find(LFDI.stranger)!;
    const edev = (await fixture.request(LFDI.stranger, 'GET', `/edev/${own.index}`)).xml!;
    expect(edev).toContain('<enabled>false</enabled>');
    expect(await status(LFDI.stranger, 'GET', '/tm')).toBe(200);
    expect(await status(LFDI.stranger, 'GET', '/upt')).toBe(403);
    expect(await status(LFDI.stranger, 'GET', edevOf(LFDI.device))).toBe(403);
    expect(await status(LFDI.stranger, 'POST', '/mup', mirrorUsagePointXml({ lfdi: LFDI.stranger, mrid: '0A0B0C0D0E0F1011121314151617CCCC' }))).toBe(403);
    fixture.devices.apply({ client: [`${LFDI.stranger}=device`], client_pin: [] });
    expect((await fixture.request(LFDI.stranger, 'GET', `/edev/${own.index}`)).xml).toContain('<enabled>true</enabled>');
    expect(await status(LFDI.device, 'GET', '/dcap')).toBe(200);
  });

  it('a client removed from the list is refused again when registration is off', async () => {
    fixture.devices.apply({ client: [`${LFDI.utility}=utility`], client_pin: [] });
    expect(await status(LFDI.device, 'GET', '/dcap')).toBe(403);
    expect(await status(LFDI.utility, 'GET', '/dcap')).toBe(200);
  });

  it('Registration carries the PIN from UCI; PIN check digits and duplicates are checked', async () => {
    const withPin = routerFixture({ [LFDI.device]: 'device' }, [`${LFDI.device}=123455`]);
    const edev = (await withPin.request(LFDI.device, 'GET', '/edev/0')).xml!;
    expect(edev).toContain('<RegistrationLink href="/edev/0/rg"/>');
    expect((await withPin.request(LFDI.device, 'GET', '/edev/0/rg')).xml).toContain('<pIN>123455</pIN>');
    withPin.cleanup();
    const { DeviceRegistry } = await import('../../../src/sep2/devices.js');
    expect(DeviceRegistry.problems({ client: [`${LFDI.device}=device`, `${LFDI.device}=utility`], client_pin: [`${LFDI.device}=123456`, `${LFDI.other}=123455`] })).toEqual([
      `client: LFDI ${LFDI.device} is listed twice`,
      `client_pin: the PIN for ${LFDI.device} has a wrong check digit (the last of its 6 digits)`,
      `client_pin: LFDI ${LFDI.other} is not in the client list`,
    ]);
  });
});
