import { readFile } from 'node:fs/promises';
import type { Logger } from '../../lib/log.js';
import { compareTables, parseMorseCsv } from './morse-csv.js';
import { builtinTable, RegTable } from './table.js';

export const DEVICE_REGDB_PATH = '/usr/share/morse-regdb/channels.csv';

export interface RegdbLoad {
  table: RegTable;
  /** Differences between the device's file and our table ("US/8MHz/ch12: eirpMaxDbm ..."). */
  mismatches: string[];
}

/**
 * The table the service plans with: the device's Morse regdb when it is installed (the radio's
 * driver enforces that one), our own otherwise. A mismatch between the two is a warning; an
 * unreadable or malformed device file is a warning too, and ours is used.
 */
export async function loadRegTable(log: Logger, path = DEVICE_REGDB_PATH): Promise<RegdbLoad> {
  const ours = builtinTable();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('cannot read the device regdb; using the built-in table', { path, error: (error as Error).message });
    return { table: ours, mismatches: [] };
  }
  try {
    const rows = parseMorseCsv(text, (code) => ours.resolve(code) ?? code);
    const mismatches = compareTables(ours.rows, rows).map((difference) => `${difference.key}: ${difference.problem}`);
    if (mismatches.length > 0) {
      log.warn('device regdb differs from the built-in table; the device file is used', { path, differences: mismatches.length, first: mismatches.slice(0, 5).join('; ') });
    }
    return { table: new RegTable(rows, path), mismatches };
  } catch (error) {
    log.warn('device regdb is malformed; using the built-in table', { path, error: (error as Error).message });
    return { table: ours, mismatches: [] };
  }
}
