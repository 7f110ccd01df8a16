import { describe, expect, it } from 'vitest';
import { parsePosixTz, zoneYear } from '../../../src/sep2/time-zone.js';

/** Offset east of UTC of an IANA zone at a UTC second, from node's ICU data: the independent oracle. */
function icuOffset(zone: string, seconds: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(seconds * 1000)).find((part) => part.type === 'timeZoneName')!.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
}

const ZONES: Array<[posix: string, iana: string]> = [
  ['CET-1CEST,M3.5.0,M10.5.0/3', 'Europe/Madrid'],
  ['GMT0BST,M3.5.0/1,M10.5.0', 'Europe/London'],
  ['EST5EDT,M3.2.0,M11.1.0', 'America/New_York'],
  ['AEST-10AEDT,M10.1.0,M4.1.0/3', 'Australia/Sydney'],
  ['<-03>3', 'America/Sao_Paulo'],
  ['IST-5:30', 'Asia/Kolkata'],
];

describe('POSIX TZ strings (OpenWrt /etc/TZ) for the Time resource', () => {
  it.each(ZONES)('%s matches the ICU rules of %s in 2026 and 2027', (posix, iana) => {
    for (const year of [2026, 2027]) {
      const zone = zoneYear(posix, year);
      const midYear = Date.UTC(year, 6, 1) / 1000;
      const winter = Date.UTC(year, 0, 15) / 1000;
      expect(Math.min(icuOffset(iana, midYear), icuOffset(iana, winter))).toBe(zone.tzOffset);
      expect(Math.max(icuOffset(iana, midYear), icuOffset(iana, winter)) - zone.tzOffset).toBe(zone.dstOffset);
      if (!zone.dstOffset) continue;
      expect(icuOffset(iana, zone.dstStartTime - 1)).toBe(zone.tzOffset);
      expect(icuOffset(iana, zone.dstStartTime)).toBe(zone.tzOffset + zone.dstOffset);
      expect(icuOffset(iana, zone.dstEndTime - 1)).toBe(zone.tzOffset + zone.dstOffset);
      expect(icuOffset(iana, zone.dstEndTime)).toBe(zone.tzOffset);
    }
  });

  it('names what is wrong in a bad string', () => {
    expect(() => parsePosixTz('')).toThrow(/does not start with a zone name/);
    expect(() => parsePosixTz('CET')).toThrow(/no UTC offset after CET/);
    expect(() => parsePosixTz('CET-1CEST,M13.5.0,M10.5.0')).toThrow(/bad transition rule 'M13.5.0'/);
    expect(() => parsePosixTz('CET-1CEST,M3.5.0')).toThrow(/needs a start and an end rule/);
  });
});

describe('the gateway clock\'s zone', () => {
  it('is the configured TZ string, else the system\'s /etc/TZ, else UTC', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { GatewayClock } = await import('../../../src/sep2/clock.js');
    const dir = mkdtempSync(join(tmpdir(), 'sg-sep2-tz-'));
    const tzFile = join(dir, 'TZ');
    const clock = (timezone: string) => new GatewayClock({ ntpStateFile: join(dir, 'none'), ntpMaxAgeS: 60, timezone, tzFile, now: () => Date.UTC(2026, 6, 1) });
    expect((await clock('').read()).zone.tzOffset).toBe(0);
    writeFileSync(tzFile, 'EST5EDT,M3.2.0,M11.1.0\n');
    expect((await clock('').read()).zone).toMatchObject({ tzOffset: -18000, dstOffset: 3600 });
    expect((await clock('IST-5:30').read()).zone).toMatchObject({ tzOffset: 19800, dstOffset: 0 });
    rmSync(dir, { recursive: true, force: true });
  });
});
