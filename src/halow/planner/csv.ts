// Points and candidate sites in (`id,lat,lon` with a header), assignment out.
import type { GeoPoint } from './geo.js';
import type { PlacementResult } from './placement.js';

export class PlannerInputError extends Error {}

/** Parses `id,lat,lon` (header required, columns by name, extra columns ignored). */
export function parsePointsCsv(text: string, what: string): GeoPoint[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((cell) => cell.trim().toLowerCase());
  const columns = { id: header.indexOf('id'), lat: header.indexOf('lat'), lon: header.indexOf('lon') };
  const missing = Object.entries(columns).filter(([, index]) => index < 0).map(([name]) => name);
  if (missing.length > 0) throw new PlannerInputError(`${what}: header must name the columns id, lat, lon (missing: ${missing.join(', ')})`);
  const ids = new Set<string>();
  return lines.slice(1).map((line, index) => {
    const cells = line.split(',').map((cell) => cell.trim());
    const where = `${what} line ${index + 2}`;
    const id = cells[columns.id] ?? '';
    const lat = Number(cells[columns.lat]);
    const lon = Number(cells[columns.lon]);
    if (!id) throw new PlannerInputError(`${where}: empty id`);
    if (ids.has(id)) throw new PlannerInputError(`${where}: id '${id}' appears twice`);
    if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new PlannerInputError(`${where}: lat '${cells[columns.lat] ?? ''}' is not a latitude (-90..90)`);
    if (!Number.isFinite(lon) || lon < -180 || lon > 180) throw new PlannerInputError(`${where}: lon '${cells[columns.lon] ?? ''}' is not a longitude (-180..180)`);
    ids.add(id);
    return { id, lat, lon };
  });
}

/** `point,site,distance_m`, then the unserved points with an empty site. */
export function assignmentCsv(result: PlacementResult): string {
  const rows = ['point,site,distance_m', ...result.assignment.map((row) => `${row.point},${row.site},${row.distance_m}`), ...result.unserved.map((point) => `${point},,`)];
  return rows.join('\n') + '\n';
}
