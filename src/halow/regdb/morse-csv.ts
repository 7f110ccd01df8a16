// Morse Micro's regdb channel file (`/usr/share/morse-regdb/channels.csv` on a HaLow gateway):
// parsing, and comparing it with our table row by row.
import { BANDWIDTHS, type Bandwidth, type RegRow } from './types.js';

export const MORSE_CSV_COLUMNS = [
  'country_code', 'bw', 's1g_chan', 's1g_op_class', 'global_op_class', 'centre_freq_mhz', 'duty_cycle_ap', 'duty_cycle_sta',
  'country', 'tx_power_max', 'duty_cycle_omit_ctrl_resp', 'pkt_spacing_ms', 'airtime_min_ms', 'airtime_max_ms', 'usable_banff_c',
] as const;

export class RegdbFormatError extends Error {}

function numberAt(cells: Record<string, string>, column: string, line: number): number {
  const text = cells[column] ?? '';
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new RegdbFormatError(`line ${line}: ${column} '${text}' is not a number`);
  return value;
}

function booleanAt(cells: Record<string, string>, column: string, line: number): boolean {
  const text = (cells[column] ?? '').trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new RegdbFormatError(`line ${line}: ${column} '${cells[column] ?? ''}' is not a boolean`);
}

function rowOf(cells: Record<string, string>, line: number, isoOf: (code: string) => string): RegRow {
  const bandwidth = numberAt(cells, 'bw', line);
  if (!(BANDWIDTHS as readonly number[]).includes(bandwidth)) throw new RegdbFormatError(`line ${line}: bw ${bandwidth} is not one of ${BANDWIDTHS.join(', ')}`);
  const morseCode = (cells.country_code ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(morseCode)) throw new RegdbFormatError(`line ${line}: country_code '${cells.country_code ?? ''}' is not a two-letter code`);
  return {
    country: isoOf(morseCode),
    morseCode,
    countryName: (cells.country ?? '').trim(),
    bandwidth: bandwidth as Bandwidth,
    channel: numberAt(cells, 's1g_chan', line),
    s1gOpClass: numberAt(cells, 's1g_op_class', line),
    globalOpClass: numberAt(cells, 'global_op_class', line),
    centreMHz: numberAt(cells, 'centre_freq_mhz', line),
    dutyCycleAp: numberAt(cells, 'duty_cycle_ap', line),
    dutyCycleSta: numberAt(cells, 'duty_cycle_sta', line),
    eirpMaxDbm: numberAt(cells, 'tx_power_max', line),
    dutyCycleOmitCtrlResp: booleanAt(cells, 'duty_cycle_omit_ctrl_resp', line),
    packetSpacingMs: numberAt(cells, 'pkt_spacing_ms', line),
    airtimeMinMs: numberAt(cells, 'airtime_min_ms', line),
    airtimeMaxMs: numberAt(cells, 'airtime_max_ms', line),
    mm6108Usable: booleanAt(cells, 'usable_banff_c', line),
  };
}

/**
 * Parses the file. `isoOf` maps Morse's country codes to ISO ones (`DD` -> `DE`); by default the
 * code is kept. A missing column or a malformed cell throws RegdbFormatError naming the line.
 */
export function parseMorseCsv(text: string, isoOf: (code: string) => string = (code) => code): RegRow[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((name) => name.trim());
  const missing = MORSE_CSV_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new RegdbFormatError(`header lacks column(s) ${missing.join(', ')}`);
  const rows: RegRow[] = [];
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const values = line.split(',');
    if (values.length !== header.length) throw new RegdbFormatError(`line ${index + 1}: ${values.length} fields, the header has ${header.length}`);
    const cells = Object.fromEntries(header.map((name, column) => [name, values[column]!]));
    rows.push(rowOf(cells, index + 1, isoOf));
  }
  return rows;
}

/** The fields compared between two tables (the country's display name is not regulatory data). */
const COMPARED: ReadonlyArray<keyof RegRow> = [
  's1gOpClass', 'globalOpClass', 'centreMHz', 'dutyCycleAp', 'dutyCycleSta', 'eirpMaxDbm', 'dutyCycleOmitCtrlResp',
  'packetSpacingMs', 'airtimeMinMs', 'airtimeMaxMs', 'mm6108Usable',
];

export interface RowDifference {
  /** `US/8MHz/ch12` */
  key: string;
  problem: string;
}

function keyOf(row: RegRow): string {
  return `${row.morseCode}/${row.bandwidth}MHz/ch${row.channel}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  return typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-6 : a === b;
}

/** Every row one table has and the other lacks, and every field that differs. */
export function compareTables(ours: readonly RegRow[], theirs: readonly RegRow[]): RowDifference[] {
  const differences: RowDifference[] = [];
  const theirsByKey = new Map(theirs.map((row) => [keyOf(row), row]));
  const oursKeys = new Set<string>();
  for (const row of ours) {
    const key = keyOf(row);
    oursKeys.add(key);
    const other = theirsByKey.get(key);
    if (!other) {
      differences.push({ key, problem: 'only in our table' });
      continue;
    }
    for (const field of COMPARED) {
      if (!sameValue(row[field], other[field])) differences.push({ key, problem: `${field}: ours ${String(row[field])}, theirs ${String(other[field])}` });
    }
  }
  for (const row of theirs) if (!oursKeys.has(keyOf(row))) differences.push({ key: keyOf(row), problem: 'missing from our table' });
  return differences;
}
