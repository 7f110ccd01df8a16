import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planCapacity } from '../../../src/halow/planner/capacity.js';
import { runPlanCli } from '../../../src/halow/planner/cli.js';
import { haversineM } from '../../../src/halow/planner/geo.js';
import { placeSites } from '../../../src/halow/planner/placement.js';
import { generateInstance } from './planner-instance.js';

const temp = mkdtempSync(join(tmpdir(), 'sg-halow-plan-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('haversine', () => {
  it('matches known great-circle distances', () => {
    expect(haversineM(48.8566, 2.3522, 51.5074, -0.1278) / 1000).toBeCloseTo(343.6, 0);
    expect(haversineM(0, 0, 0, 1)).toBeCloseTo(111_195, -1);
  });
});

describe('placement on a generated instance', () => {
  const instance = generateInstance(3000, 200);
  const input = { ...instance, radiusM: 1500, capacity: 40, targetPct: 95 };
  const result = placeSites(input);

  it('never violates the radius or a site capacity, and serves each point at most once', () => {
    const points = new Map(instance.points.map((point) => [point.id, point]));
    const sites = new Map(instance.candidates.map((site) => [site.id, site]));
    const load = new Map<string, number>();
    for (const row of result.assignment) {
      const point = points.get(row.point)!;
      const site = sites.get(row.site)!;
      expect(haversineM(point.lat, point.lon, site.lat, site.lon)).toBeLessThanOrEqual(1500);
      load.set(row.site, (load.get(row.site) ?? 0) + 1);
    }
    for (const site of result.sites) expect(load.get(site.id)).toBe(site.served);
    expect(Math.max(...load.values())).toBeLessThanOrEqual(40);
    expect(new Set(result.assignment.map((row) => row.point)).size).toBe(result.assignment.length);
    expect(result.assignment.length + result.unserved.length).toBe(3000);
  });

  it('reaches the coverage target and reports it', () => {
    expect(result.target_met).toBe(true);
    expect(result.coverage_pct).toBeGreaterThanOrEqual(95);
    expect(result.coverage_pct).toBeCloseTo((result.assignment.length / 3000) * 100, 1);
  });

  it('is reproducible: the same input gives the same sites and assignment', () => {
    expect(placeSites({ ...input })).toEqual(result);
  });

  it('reports an unreachable target and the unserved points', () => {
    const tight = placeSites({ ...input, radiusM: 200, capacity: 5, targetPct: 99 });
    expect(tight.target_met).toBe(false);
    expect(tight.unserved.length).toBeGreaterThan(0);
  });
});

describe('capacity of a plan', () => {
  const base = { bandwidth: 1 as const, mcs: 0, readingsPerDay: 96, frameBytes: 200, dutyCycleAp: 10, dutyCycleSta: 2.8, maxStations: 64 };

  it('computes airtime against the EU duty-cycle budgets', () => {
    const light = planCapacity({ ...base, metersPerDcu: [50, 50] });
    expect(light).toMatchObject({ phy_rate_mbps: 0.3, within_budget: true });
    expect(light.frame_airtime_ms).toBeCloseTo((560 + (244 * 8) / 0.3 + 560 + 424) / 1000, 3);
    const heavy = planCapacity({ ...base, metersPerDcu: [5000] });
    expect(heavy.within_budget).toBe(false);
    expect(heavy.busiest_dcu_duty_pct).toBeGreaterThan(2.8);
    expect(heavy.max_dcus).toBe(0);
  });

  it('a wider channel and a higher MCS carry more DCUs; max_stations caps them', () => {
    const slow = planCapacity({ ...base, metersPerDcu: [200, 200], dutyCycleAp: 100, dutyCycleSta: 100 });
    const fast = planCapacity({ ...base, bandwidth: 8, mcs: 7, metersPerDcu: [200, 200], dutyCycleAp: 100, dutyCycleSta: 100, maxStations: 100_000 });
    expect(fast.max_dcus).toBeGreaterThan(slow.max_dcus);
    expect(slow.max_dcus).toBe(64);
    expect(() => planCapacity({ ...base, bandwidth: 2, mcs: 9, metersPerDcu: [1] })).toThrow('MCS 9 does not exist at 2 MHz (MCS 0-8)');
  });
});

describe('smartgrid-halow plan (CLI)', () => {
  const toCsv = (rows: Array<{ id: string; lat: number; lon: number }>) => ['id,lat,lon', ...rows.map((row) => `${row.id},${row.lat},${row.lon}`)].join('\n');
  const small = generateInstance(300, 40, 7);
  const pointsFile = join(temp, 'points.csv');
  const sitesFile = join(temp, 'sites.csv');
  writeFileSync(pointsFile, toCsv(small.points));
  writeFileSync(sitesFile, toCsv(small.candidates));

  it('writes JSON or CSV and exits 0 when the target is met', () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(runPlanCli(['--points', pointsFile, '--candidates', sitesFile, '--radius', '2000', '--capacity', '50', '--target', '90'], (text) => out.push(text), (text) => err.push(text))).toBe(0);
    const result = JSON.parse(out.join('')) as { coverage_pct: number; sites: unknown[] };
    expect(result.coverage_pct).toBeGreaterThanOrEqual(90);
    expect(err.join('')).toMatch(/^\d+ sites, coverage [\d.]+ % \(target 90 %\), \d+ unserved\n$/);
    const csvFile = join(temp, 'out.csv');
    expect(runPlanCli(['--points', pointsFile, '--candidates', sitesFile, '--radius', '2000', '--capacity', '50', '--format', 'csv', '--out', csvFile], () => undefined, () => undefined)).toBeLessThanOrEqual(2);
    expect(readFileSync(csvFile, 'utf8').split('\n')[0]).toBe('point,site,distance_m');
  });

  it('names the bad line or option and exits 1', () => {
    const bad = join(temp, 'bad.csv');
    writeFileSync(bad, 'id,lat,lon\nm1,40.1,-105\nm2,91,-105\n');
    const err: string[] = [];
    expect(runPlanCli(['--points', bad, '--candidates', sitesFile, '--radius', '2000', '--capacity', '5'], () => undefined, (text) => err.push(text))).toBe(1);
    expect(err.join('')).toContain("points line 3: lat '91' is not a latitude (-90..90)");
    err.length = 0;
    expect(runPlanCli(['--points', pointsFile, '--candidates', sitesFile, '--radius=-3', '--capacity', '5'], () => undefined, (text) => err.push(text))).toBe(1);
    expect(err.join('')).toContain('--radius must be a positive number (got -3)');
  });
});
