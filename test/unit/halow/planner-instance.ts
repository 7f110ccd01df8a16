// A generated planning instance: meters scattered around a town, candidate sites on a grid.
import type { GeoPoint } from '../../../src/halow/planner/geo.js';
import { seededRandom } from '../../../demo/load-curve.js';

/** `points` meters in clusters over ~`spanKm` around (lat, lon), `candidates` sites on a grid. */
export function generateInstance(points: number, candidates: number, seed = 42, spanKm = 12): { points: GeoPoint[]; candidates: GeoPoint[] } {
  const random = seededRandom(seed);
  const lat0 = 40.0;
  const lon0 = -105.0;
  const degLat = spanKm / 111;
  const degLon = spanKm / (111 * Math.cos((lat0 * Math.PI) / 180));
  const centres = Array.from({ length: 12 }, () => [random(), random()] as const);
  const meters: GeoPoint[] = Array.from({ length: points }, (_, index) => {
    const [cx, cy] = centres[index % centres.length]!;
    const x = Math.min(1, Math.max(0, cx + (random() - 0.5) * 0.3));
    const y = Math.min(1, Math.max(0, cy + (random() - 0.5) * 0.3));
    return { id: `m${index}`, lat: lat0 + y * degLat, lon: lon0 + x * degLon };
  });
  const side = Math.ceil(Math.sqrt(candidates));
  const sites: GeoPoint[] = Array.from({ length: candidates }, (_, index) => ({
    id: `s${index}`,
    lat: lat0 + ((Math.floor(index / side) + 0.5) / side) * degLat,
    lon: lon0 + (((index % side) + 0.5) / side) * degLon,
  }));
  return { points: meters, candidates: sites };
}
