// Site placement: a deterministic greedy capacitated set cover. Each candidate site covers the
// points within `radiusM` (haversine) and serves at most `capacity` of them; the greedy opens the
// site that would serve the most unserved points (ties: the earlier candidate) and gives it its
// nearest unserved points (ties: the earlier point), until `targetPct` of the points are served or
// no site can serve more. Gains only shrink as points are served, so a lazy max-heap finds the best
// site without rescoring every candidate each round.
import { haversineM, type GeoPoint } from './geo.js';

export interface PlacementInput {
  points: readonly GeoPoint[];
  candidates: readonly GeoPoint[];
  radiusM: number;
  capacity: number;
  targetPct: number;
}

export interface PlacedSite {
  id: string;
  lat: number;
  lon: number;
  served: number;
}

export interface Assignment {
  point: string;
  site: string;
  distance_m: number;
}

export interface PlacementResult {
  sites: PlacedSite[];
  assignment: Assignment[];
  coverage_pct: number;
  target_met: boolean;
  unserved: string[];
}

/** Per candidate: indexes of the points within the radius, nearest first, and their distances. */
interface Reach {
  points: Int32Array;
  distances: Float64Array;
}

function reachOf(candidate: GeoPoint, points: readonly GeoPoint[], radiusM: number): Reach {
  const found: Array<[number, number]> = [];
  const latSpan = radiusM / 111_000;
  for (let index = 0; index < points.length; index++) {
    const point = points[index]!;
    if (Math.abs(point.lat - candidate.lat) > latSpan * 1.01) continue;
    const distance = haversineM(candidate.lat, candidate.lon, point.lat, point.lon);
    if (distance <= radiusM) found.push([index, distance]);
  }
  found.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  return { points: Int32Array.from(found, ([index]) => index), distances: Float64Array.from(found, ([, distance]) => distance) };
}

/** Binary max-heap of [gain, candidate]; the larger gain, then the smaller candidate index, first. */
class GainHeap {
  private readonly items: Array<[number, number]> = [];
  private before(a: [number, number], b: [number, number]): boolean {
    return a[0] > b[0] || (a[0] === b[0] && a[1] < b[1]);
  }
  push(item: [number, number]): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  peek(): [number, number] | undefined { return this.items[0]; }
  pop(): [number, number] | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ;) {
        const [left, right] = [2 * i + 1, 2 * i + 2];
        let best = i;
        if (left < items.length && this.before(items[left]!, items[best]!)) best = left;
        if (right < items.length && this.before(items[right]!, items[best]!)) best = right;
        if (best === i) break;
        [items[i], items[best]] = [items[best]!, items[i]!];
        i = best;
      }
    }
    return top;
  }
}

function gainOf(reach: Reach, served: Uint8Array, capacity: number): number {
  let gain = 0;
  for (let k = 0; k < reach.points.length && gain < capacity; k++) if (!served[reach.points[k]!]) gain++;
  return gain;
}

export function placeSites(input: PlacementInput): PlacementResult {
  const { points, candidates, capacity } = input;
  const reaches = candidates.map((candidate) => reachOf(candidate, points, input.radiusM));
  const served = new Uint8Array(points.length);
  const heap = new GainHeap();
  reaches.forEach((reach, index) => heap.push([Math.min(capacity, reach.points.length), index]));
  const goal = Math.ceil((input.targetPct / 100) * points.length - 1e-9);
  const sites: PlacedSite[] = [];
  const assignment: Assignment[] = [];
  while (assignment.length < goal) {
    const top = heap.pop();
    if (!top || top[0] === 0) break;
    const gain = gainOf(reaches[top[1]]!, served, capacity);
    const next = heap.peek();
    if (next && (gain < next[0] || (gain === next[0] && next[1] < top[1]))) { heap.push([gain, top[1]]); continue; }
    if (gain === 0) break;
    const candidate = candidates[top[1]]!;
    const reach = reaches[top[1]]!;
    let taken = 0;
    for (let k = 0; k < reach.points.length && taken < gain; k++) {
      const index = reach.points[k]!;
      if (served[index]) continue;
      served[index] = 1;
      taken++;
      assignment.push({ point: points[index]!.id, site: candidate.id, distance_m: Math.round(reach.distances[k]! * 10) / 10 });
    }
    sites.push({ id: candidate.id, lat: candidate.lat, lon: candidate.lon, served: taken });
  }
  const coverage = points.length === 0 ? 100 : (assignment.length / points.length) * 100;
  return {
    sites,
    assignment,
    coverage_pct: Math.round(coverage * 100) / 100,
    target_met: assignment.length >= goal,
    unserved: points.filter((_, index) => !served[index]).map((point) => point.id),
  };
}
