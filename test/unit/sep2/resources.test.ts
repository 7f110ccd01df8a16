import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertValidSep } from '../../helpers/sep-xsd.js';
import { LFDI, mirrorUsagePointXml, routerFixture, writeNtpState, type RouterFixture } from './router-fixture.js';

const T0 = Date.UTC(2026, 5, 1, 12) ;

function seedMeters(fixture: RouterFixture, count: number): void {
  for (let i = 0; i < count; i++) {
    fixture.usagePoints.ingest({ meter: `meter-${i}`, ts: T0 + i * 1000, values: { energy_import_kwh: 1234.567 + i, voltage_l1_v: 230.1, power_export_kw: 1.5, energy_import_t1_kwh: 10 } });
  }
}

describe('2030.5 resources', () => {
  let fixture: RouterFixture;
  beforeEach(() => { fixture = routerFixture(); seedMeters(fixture, 3); });
  afterEach(() => fixture.cleanup());

  it('every GET resource is valid against sep.xsd', async () => {
    await fixture.request(LFDI.device, 'POST', '/mup', mirrorUsagePointXml());
    const paths = ['/dcap', '/tm', '/edev?l=10', '/edev/0', '/upt?l=10', '/upt/0', '/upt/0/mr?l=10', '/upt/0/mr/0', '/upt/0/mr/0/rt', '/upt/0/mr/0/r', '/upt/0/mr/3/r', '/mup?l=5', '/mup/0'];
    for (const path of paths) {
      const answer = await fixture.request(LFDI.utility, 'GET', path);
      expect(answer.status, path).toBe(200);
      assertValidSep(answer.xml!);
    }
    assertValidSep(mirrorUsagePointXml());
  });

  it('DeviceCapability links every function set with pollRate and the client\'s own EndDevice', async () => {
    const { xml } = await fixture.request(LFDI.device, 'GET', '/dcap');
    expect(xml).toContain('pollRate="900"');
    expect(xml).toContain('<TimeLink href="/tm"/>');
    expect(xml).toContain('<EndDeviceListLink href="/edev" all="1"/>');
    expect(xml).toContain(`<SelfDeviceLink href="/edev/${fixture.devices.find(LFDI.device)!.index}"/>`);
  });

  it('Time reports NTP quality only with a recent report of a real stratum', async () => {
    const quality = async () => /<quality>(\d+)<\/quality>/.exec((await fixture.request(LFDI.device, 'GET', '/tm')).xml!)![1];
    expect(await quality()).toBe('5');
    writeNtpState(fixture.ntpFile, 2);
    expect(await quality()).toBe('3');
    writeNtpState(fixture.ntpFile, 16);
    expect(await quality()).toBe('5');
    writeNtpState(fixture.ntpFile, 2, 3600);
    expect(await quality()).toBe('5');
  });

  it('Time carries the zone: Madrid is UTC+1 with one hour of DST from the last Sunday of March', async () => {
    const { xml } = await fixture.request(LFDI.device, 'GET', '/tm');
    const field = (name: string) => Number(new RegExp(`<${name}>(-?\\d+)</${name}>`).exec(xml!)![1]);
    expect(field('tzOffset')).toBe(3600);
    expect(field('dstOffset')).toBe(3600);
    const year = new Date(field('currentTime') * 1000).getUTCFullYear();
    const lastSunday = (month: number) => { const d = new Date(Date.UTC(year, month + 1, 0, 1)); d.setUTCDate(d.getUTCDate() - d.getUTCDay()); return d.getTime() / 1000; };
    expect(field('dstStartTime')).toBe(lastSunday(2));
    expect(field('dstEndTime')).toBe(lastSunday(9));
  });

  it('MeterReading values follow the OBIS mapping: kind, uom, powerOfTenMultiplier, flowDirection', async () => {
    const point = fixture.usagePoints.get(0)!;
    const byKey = (key: string) => point.readings.find((reading) => reading.key === key)!.index;
    const get = async (path: string) => (await fixture.request(LFDI.utility, 'GET', path)).xml!;
    const energy = byKey('energy_import_kwh');
    expect(await get(`/upt/0/mr/${energy}`)).toContain('<description>1-0:1.8.0</description>');
    expect(await get(`/upt/0/mr/${energy}/rt`)).toMatch(/<flowDirection>1<\/flowDirection><kind>12<\/kind><powerOfTenMultiplier>0<\/powerOfTenMultiplier><uom>72<\/uom>/);
    expect(await get(`/upt/0/mr/${energy}/r`)).toContain('<value>1234567</value>');
    const voltage = byKey('voltage_l1_v');
    expect(await get(`/upt/0/mr/${voltage}/rt`)).toMatch(/<kind>0<\/kind><powerOfTenMultiplier>-1<\/powerOfTenMultiplier><uom>29<\/uom>/);
    expect(await get(`/upt/0/mr/${voltage}/r`)).toContain('<value>2301</value>');
    expect(await get(`/upt/0/mr/${byKey('power_export_kw')}/rt`)).toMatch(/<flowDirection>19<\/flowDirection><kind>37<\/kind><powerOfTenMultiplier>0<\/powerOfTenMultiplier><uom>38<\/uom>/);
    expect(await get(`/upt/0/mr/${byKey('energy_import_t1_kwh')}/r`)).toContain('<touTier>1</touTier><value>10000</value>');
  });

  it('lists page with s and l (default one item), all and results, and a (after a time)', async () => {
    seedMeters(fixture, 7);
    const list = async (query: string) => (await fixture.request(LFDI.utility, 'GET', `/upt${query}`)).xml!;
    expect(await list('')).toMatch(/all="7" results="1"/);
    const page = await list('?s=2&l=3');
    expect(page).toMatch(/all="7" results="3"/);
    expect(page).toContain('<description>meter-2</description>');
    expect(page).toContain('<description>meter-4</description>');
    expect(page).not.toContain('meter-5<');
    expect(await list('?s=6&l=10')).toMatch(/results="1"/);
    expect(await list('?s=9&l=10')).toMatch(/results="0"/);
    const after = await list(`?a=${Math.floor(T0 / 1000) + 4}&l=255`);
    expect(after).toMatch(/all="7" results="2"/);
    expect(after).toContain('meter-5');
    expect(await list('?l=1000')).toMatch(/results="7"/);
    const bad = await fixture.request(LFDI.utility, 'GET', '/upt?l=ten');
    expect(bad.status).toBe(400);
    expect(bad.reason).toMatch(/l=ten/);
  });

  it('unknown paths, ids and methods', async () => {
    expect((await fixture.request(LFDI.utility, 'GET', '/nope')).status).toBe(404);
    expect((await fixture.request(LFDI.utility, 'GET', '/upt/99')).status).toBe(404);
    expect((await fixture.request(LFDI.utility, 'GET', '/upt/01')).status).toBe(404);
    expect((await fixture.request(LFDI.utility, 'GET', '/upt/0/mr/0/x')).status).toBe(404);
    const put = await fixture.request(LFDI.utility, 'PUT', '/tm');
    expect(put.status).toBe(405);
    expect(put.headers?.Allow).toBe('GET, HEAD');
  });
});
