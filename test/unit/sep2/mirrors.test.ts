import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertValidSep } from '../../helpers/sep-xsd.js';
import { LFDI, MMR_MRID, MUP_MRID, mirrorUsagePointXml, routerFixture, type RouterFixture } from './router-fixture.js';

describe('MirrorUsagePoint (/mup)', () => {
  let fixture: RouterFixture;
  beforeEach(() => { fixture = routerFixture(); });
  afterEach(() => fixture.cleanup());

  it('POST of a new mRID answers 201 with Location; the same mRID again 204', async () => {
    const created = await fixture.request(LFDI.device, 'POST', '/mup', mirrorUsagePointXml());
    expect(created.status).toBe(201);
    expect(created.headers?.Location).toBe('/mup/0');
    const again = await fixture.request(LFDI.device, 'POST', '/mup', mirrorUsagePointXml({ value: 123999, start: 1_750_000_900 }));
    expect(again.status).toBe(204);
    expect(again.headers?.Location).toBeUndefined();
    const other = await fixture.request(LFDI.device, 'POST', '/mup', mirrorUsagePointXml({ mrid: '0A0B0C0D0E0F101112131415161718AC' }));
    expect(other).toMatchObject({ status: 201, headers: { Location: '/mup/1' } });
    const { xml } = await fixture.request(LFDI.device, 'GET', '/mup/0');
    assertValidSep(xml!);
    expect(xml).toContain('<value>123999</value>');
    expect(xml).toContain('<postRate>300</postRate>');
    expect((await fixture.request(LFDI.device, 'GET', '/mup')).xml).toMatch(/all="2" results="1"/);
  });

  it('forwards each posted Reading to the local broker as a telemetry reading on the mirror topic', async () => {
    await fixture.request(LFDI.device, 'POST', '/mup', mirrorUsagePointXml({ value: 123456 }));
    expect(fixture.published).toEqual([{
      topic: `telemetry/sep2/${LFDI.device}/${MUP_MRID}`,
      payload: JSON.stringify({ ts: 1_750_000_000_000, values: { energy_import_kwh: 123.456 } }),
    }]);
  });

  it('POST to a mirror adds a MirrorMeterReading (201) or updates a known one (204), using its stored ReadingType', async () => {
    await fixture.request(LFDI.device, 'POST', '/mup', mirrorUsagePointXml());
    const known = `<MirrorMeterReading xmlns="http://ieee.org/2030.5"><mRID>${MMR_MRID}</mRID><Reading><timePeriod><duration>0</duration><start>1750000300</start></timePeriod><value>2000</value></Reading></MirrorMeterReading>`;
    assertValidSep(known);
    expect((await fixture.request(LFDI.device, 'POST', '/mup/0', known)).status).toBe(204);
    expect(fixture.published.at(-1)!.payload).toBe(JSON.stringify({ ts: 1_750_000_300_000, values: { energy_import_kwh: 2 } }));
    const untyped = known.replace(MMR_MRID, 'BB0B0C0D0E0F101112131415161718AB');
    const refused = await fixture.request(LFDI.device, 'POST', '/mup/0', untyped);
    expect(refused.status).toBe(400);
    expect(refused.reason).toMatch(/needs a ReadingType/);
    const typed = untyped.replace('</MirrorMeterReading>', '<ReadingType><kind>37</kind><powerOfTenMultiplier>1</powerOfTenMultiplier><uom>38</uom></ReadingType></MirrorMeterReading>');
    expect(await fixture.request(LFDI.device, 'POST', '/mup/0', typed)).toMatchObject({ status: 201, headers: { Location: '/mup/0/1' } });
    expect(fixture.published.at(-1)!.payload).toBe(JSON.stringify({ ts: 1_750_000_300_000, values: { sep2_k37_u38_f0: 20000 } }));
  });

  it('bad bodies get 400 naming the field, and nothing is stored or forwarded', async () => {
    const cases: Array<[string, RegExp]> = [
      [mirrorUsagePointXml({ omit: 'deviceLFDI' }), /deviceLFDI is required/],
      [mirrorUsagePointXml({ omit: 'roleFlags' }), /roleFlags is required/],
      [mirrorUsagePointXml({ omit: 'status' }), /status is required/],
      [mirrorUsagePointXml({ mrid: 'XYZ' }), /mRID 'XYZ' is not an mRID/],
      [mirrorUsagePointXml().replace('<value>123456</value>', '<value>1e5</value>'), /value '1e5' is not an integer/],
      ['<MirrorUsagePoint xmlns="http://ieee.org/2030.5"><mRID>', /not well-formed XML/],
      ['<Time xmlns="http://ieee.org/2030.5"/>', /must be one MirrorUsagePoint element, got Time/],
      [mirrorUsagePointXml().replace('http://ieee.org/2030.5', 'urn:other'), /namespace 'urn:other'/],
    ];
    for (const [body, reason] of cases) {
      const answer = await fixture.request(LFDI.device, 'POST', '/mup', body);
      expect(answer.status, String(reason)).toBe(400);
      expect(answer.reason).toMatch(reason);
    }
    expect(fixture.mirrors.size).toBe(0);
    expect(fixture.published).toEqual([]);
  });

  it('a broker that does not take the reading answers 503 and stores nothing, so the retry loses nothing', async () => {
    fixture.brokerDown.value = true;
    const refused = await fixture.request(LFDI.device, 'POST', '/mup', mirrorUsagePointXml());
    expect(refused).toMatchObject({ status: 503, headers: { 'Retry-After': '30' } });
    expect(fixture.mirrors.size).toBe(0);
    fixture.brokerDown.value = false;
    expect((await fixture.request(LFDI.device, 'POST', '/mup', mirrorUsagePointXml())).status).toBe(201);
    expect(fixture.published).toHaveLength(1);
  });

  it('PUT replaces a mirror (same mRID, 204), DELETE removes it, and the store is bounded (507)', async () => {
    await fixture.request(LFDI.device, 'POST', '/mup', mirrorUsagePointXml());
    expect((await fixture.request(LFDI.device, 'PUT', '/mup/0', mirrorUsagePointXml({ value: 5 }))).status).toBe(204);
    expect((await fixture.request(LFDI.device, 'PUT', '/mup/0', mirrorUsagePointXml({ mrid: '0A0B0C0D0E0F101112131415161718AC' }))).status).toBe(400);
    expect((await fixture.request(LFDI.device, 'DELETE', '/mup/0')).status).toBe(204);
    expect((await fixture.request(LFDI.device, 'GET', '/mup/0')).status).toBe(404);
    for (const last of ['1', '2', '3']) {
      expect((await fixture.request(LFDI.utility, 'POST', '/mup', mirrorUsagePointXml({ mrid: `0A0B0C0D0E0F10111213141516171${last}00` }))).status).toBe(201);
    }
    const full = await fixture.request(LFDI.utility, 'POST', '/mup', mirrorUsagePointXml({ mrid: '0A0B0C0D0E0F101112131415161718FF' }));
    expect(full.status).toBe(507);
    expect(fixture.published).toHaveLength(5);
  });
});
