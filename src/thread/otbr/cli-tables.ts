// The CLI tables of OpenThread (`router table`, `child table`, `neighbor table`) as ot-ctl prints
// them: a `| Name | ... |` header, a `+----+` rule, one `| value | ... |` line per entry. Columns
// are found by their header name, so an added or reordered column does not shift the others.

export interface RouterTableRow {
  id: number;
  rloc16: string;
  nextHop: number;
  pathCost: number;
  linkQualityIn: number;
  linkQualityOut: number;
  ageS: number;
  extAddress: string;
  /** A direct link (a neighbour), not only a route. */
  link: boolean;
}

export interface ChildTableRow {
  id: number;
  rloc16: string;
  timeoutS: number;
  ageS: number;
  linkQualityIn: number;
  rxOnWhenIdle: boolean;
  fullThreadDevice: boolean;
  fullNetworkData: boolean;
  version: number;
  extAddress: string;
}

export interface NeighborTableRow {
  role: 'router' | 'child';
  rloc16: string;
  ageS: number;
  averageRssi: number;
  lastRssi: number;
  rxOnWhenIdle: boolean;
  fullThreadDevice: boolean;
  fullNetworkData: boolean;
  extAddress: string;
  version: number;
}

export class CliTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliTableError';
  }
}

type Cells = Map<string, string>;

function cellsOf(line: string): string[] {
  return line.split('|').slice(1, -1).map((cell) => cell.trim());
}

/** The rows of one table as header name -> cell text; lines that are not table lines are ignored. */
export function parseCliTable(table: string, lines: readonly string[]): Cells[] {
  const tableLines = lines.filter((line) => line.startsWith('|'));
  if (tableLines.length === 0) throw new CliTableError(`${table}: no table header in the output`);
  const headers = cellsOf(tableLines[0]!);
  return tableLines.slice(1).map((line, index) => {
    const cells = cellsOf(line);
    if (cells.length !== headers.length) throw new CliTableError(`${table}: row ${index + 1} has ${cells.length} cells, the header ${headers.length}`);
    return new Map(headers.map((header, column) => [header, cells[column]!]));
  });
}

function cell(table: string, row: Cells, header: string): string {
  const value = row.get(header);
  if (value === undefined) throw new CliTableError(`${table}: no column "${header}"`);
  return value;
}

function integer(table: string, row: Cells, header: string): number {
  const text = cell(table, row, header);
  if (!/^-?\d+$/.test(text)) throw new CliTableError(`${table}: "${header}" is not a number (${JSON.stringify(text)})`);
  return Number(text);
}

function rloc16(table: string, row: Cells): string {
  const text = cell(table, row, 'RLOC16').toLowerCase();
  if (!/^0x[0-9a-f]{4}$/.test(text)) throw new CliTableError(`${table}: RLOC16 ${JSON.stringify(text)} is not 0x followed by 4 hex digits`);
  return text;
}

function extAddress(table: string, row: Cells): string {
  const text = cell(table, row, 'Extended MAC').toLowerCase();
  if (!/^[0-9a-f]{16}$/.test(text)) throw new CliTableError(`${table}: Extended MAC ${JSON.stringify(text)} is not 16 hex digits`);
  return text;
}

const flag = (table: string, row: Cells, header: string): boolean => integer(table, row, header) === 1;

export function parseRouterTable(lines: readonly string[]): RouterTableRow[] {
  const t = 'router table';
  return parseCliTable(t, lines).map((row) => ({
    id: integer(t, row, 'ID'), rloc16: rloc16(t, row), nextHop: integer(t, row, 'Next Hop'), pathCost: integer(t, row, 'Path Cost'),
    linkQualityIn: integer(t, row, 'LQ In'), linkQualityOut: integer(t, row, 'LQ Out'), ageS: integer(t, row, 'Age'),
    extAddress: extAddress(t, row), link: flag(t, row, 'Link'),
  }));
}

export function parseChildTable(lines: readonly string[]): ChildTableRow[] {
  const t = 'child table';
  return parseCliTable(t, lines).map((row) => ({
    id: integer(t, row, 'ID'), rloc16: rloc16(t, row), timeoutS: integer(t, row, 'Timeout'), ageS: integer(t, row, 'Age'),
    linkQualityIn: integer(t, row, 'LQ In'), rxOnWhenIdle: flag(t, row, 'R'), fullThreadDevice: flag(t, row, 'D'), fullNetworkData: flag(t, row, 'N'),
    version: integer(t, row, 'Ver'), extAddress: extAddress(t, row),
  }));
}

export function parseNeighborTable(lines: readonly string[]): NeighborTableRow[] {
  const t = 'neighbor table';
  return parseCliTable(t, lines).map((row) => {
    const role = cell(t, row, 'Role');
    if (role !== 'R' && role !== 'C') throw new CliTableError(`${t}: Role ${JSON.stringify(role)} is neither R nor C`);
    return {
      role: role === 'R' ? 'router' : 'child', rloc16: rloc16(t, row), ageS: integer(t, row, 'Age'),
      averageRssi: integer(t, row, 'Avg RSSI'), lastRssi: integer(t, row, 'Last RSSI'),
      rxOnWhenIdle: flag(t, row, 'R'), fullThreadDevice: flag(t, row, 'D'), fullNetworkData: flag(t, row, 'N'),
      extAddress: extAddress(t, row), version: integer(t, row, 'Version'),
    };
  });
}
