import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../../../src/lib/log.js';
import { loadRegTable } from '../../../src/halow/regdb/load.js';
import { compareTables, parseMorseCsv, RegdbFormatError } from '../../../src/halow/regdb/morse-csv.js';
import { shimChannel } from '../../../src/halow/regdb/shim.js';
import { builtinRows, builtinTable } from '../../../src/halow/regdb/table.js';
import { conformancePath } from '../../helpers/conformance.js';

const MORSE_CSV = readFileSync(conformancePath('halow', 'morse-regdb-channels.csv'), 'utf8');
const temp = mkdtempSync(join(tmpdir(), 'sg-halow-regdb-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function logger(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const sink = memorySink();
  return { log: createLogger({ name: 'smartgrid-halow', level: 'debug', sink }), lines: sink.lines };
}

describe('built-in regulatory table against the Morse regdb', () => {
  const theirs = parseMorseCsv(MORSE_CSV);

  it('has every row of the Morse table, field by field, and no row it lacks', () => {
    expect(theirs).toHaveLength(472);
    expect(compareTables(builtinRows(), theirs)).toEqual([]);
  });

  it('covers every country code of the Morse table (ISO codes, Morse aliases resolved)', () => {
    const table = builtinTable();
    const codes = new Set(theirs.map((row) => row.morseCode));
    expect(codes.size).toBe(49);
    for (const code of codes) expect(table.resolve(code), code).toBeDefined();
    expect(table.resolve('DD')).toBe('DE');
    expect(table.resolve('uk')).toBe('GB');
    expect(table.resolve('ZZ')).toBeUndefined();
  });

  it('knows the trap channels: US ch 7 is 1 MHz at 905.5, US 8 MHz is 12/28/44', () => {
    const table = builtinTable();
    expect(table.find('US', 7)).toMatchObject({ bandwidth: 1, centreMHz: 905.5 });
    expect(table.rowsFor('US').filter((row) => row.bandwidth === 8).map((row) => [row.channel, row.centreMHz])).toEqual([[12, 908], [28, 916], [44, 924]]);
    expect(new Set(table.rowsFor('FR').map((row) => row.bandwidth))).toEqual(new Set([1]));
  });

  it('reports a changed field, a missing row and an extra row', () => {
    const changed = theirs.map((row) => (row.morseCode === 'US' && row.channel === 12 ? { ...row, eirpMaxDbm: 30 } : row)).filter((row) => !(row.morseCode === 'JP' && row.channel === 9));
    changed.push({ ...changed[0]!, channel: 99 });
    expect(compareTables(builtinRows(), changed)).toEqual([
      { key: 'US/8MHz/ch12', problem: 'eirpMaxDbm: ours 36, theirs 30' },
      { key: 'JP/1MHz/ch9', problem: 'only in our table' },
      { key: 'AL/1MHz/ch99', problem: 'missing from our table' },
    ]);
  });
});

describe('5 GHz shim channel', () => {
  it('maps S1G channels the way the Morse driver registers them', () => {
    expect(shimChannel('US', 1, 1)).toBe(132);
    expect(shimChannel('US', 1, 5)).toBe(36);
    expect(shimChannel('US', 1, 27)).toBe(112);
    expect(shimChannel('US', 2, 2)).toBe(134);
    expect(shimChannel('US', 2, 38)).toBe(151);
    expect(shimChannel('US', 4, 24)).toBe(106);
    expect(shimChannel('US', 8, 12)).toBe(50);
    expect(shimChannel('US', 8, 28)).toBe(114);
    expect(shimChannel('US', 8, 44)).toBe(163);
    expect(shimChannel('EU', 1, 31)).toBe(120);
    expect(shimChannel('SG', 2, 10)).toBe(46);
    expect(shimChannel('KR', 4, 8)).toBe(42);
    expect(shimChannel('JP', 4, 38)).toBe(58);
    expect(shimChannel('JP', 2, 4)).toBe(54);
    expect(shimChannel('KR', 1, 18)).toBeNull();
  });
});

describe('device regdb file', () => {
  it('is used when present; a mismatch is a warning naming the row', async () => {
    const path = join(temp, 'channels.csv');
    writeFileSync(path, MORSE_CSV.replace('US,8,28,4,71,916.0', 'US,8,28,4,71,916.5'));
    const { log, lines } = logger();
    const loaded = await loadRegTable(log, path);
    expect(loaded.table.source).toBe(path);
    expect(loaded.mismatches).toEqual(['US/8MHz/ch28: centreMHz: ours 916, theirs 916.5']);
    expect(loaded.table.find('DE', 1)?.morseCode).toBe('DD');
    expect(lines.join('\n')).toMatch(/device regdb differs.*US\/8MHz\/ch28/);
  });

  it('falls back to the built-in table when absent (silently) or malformed (with a warning)', async () => {
    const { log, lines } = logger();
    expect((await loadRegTable(log, join(temp, 'absent.csv'))).table.source).toBe('builtin');
    expect(lines).toEqual([]);
    const bad = join(temp, 'bad.csv');
    writeFileSync(bad, MORSE_CSV.replace('US,8,28,4,71,916.0', 'US,8,28,4,71,nine'));
    expect((await loadRegTable(log, bad)).table.source).toBe('builtin');
    expect(lines.join('\n')).toMatch(/malformed.*centre_freq_mhz 'nine' is not a number/);
  });

  it('rejects a file without the Morse columns', () => {
    expect(() => parseMorseCsv('country,channel\nUS,1\n')).toThrow(RegdbFormatError);
    expect(() => parseMorseCsv('country,channel\nUS,1\n')).toThrow(/header lacks column\(s\) country_code, bw/);
  });
});

describe('smartgrid.halow.region', () => {
  it('offers exactly the table countries plus the Morse spellings', async () => {
    const { halowSchema } = await import('../../../src/lib/config/schemas/index.js');
    const table = builtinTable();
    const aliases = table.rows.filter((row) => row.morseCode !== row.country).map((row) => row.morseCode);
    expect([...(halowSchema.properties.region!.enum as string[])].sort()).toEqual([...new Set([...table.countries(), ...aliases])].sort());
  });
});
