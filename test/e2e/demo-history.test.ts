import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_INTERVAL_ENV } from '../../src/telemetry/history.js';
import { login, pageSession, pageUrl, startBed, ubus, type Bed } from './bed.js';

/** The forwarder samples every second here (30 s by default) so a few seconds of demo fill a chart. */
const INTERVAL_MS = 1000;

type ChartLine = { series: string; count: number; pairs: number };

describe('telemetry charts open with the last hour (playwright + chromium)', () => {
  let bed: Bed;
  const previous = process.env[HISTORY_INTERVAL_ENV];

  beforeAll(async () => {
    process.env[HISTORY_INTERVAL_ENV] = String(INTERVAL_MS);
    bed = await startBed();
  }, 120_000);
  afterAll(async () => {
    await bed?.close();
    if (previous === undefined) delete process.env[HISTORY_INTERVAL_ENV];
    else process.env[HISTORY_INTERVAL_ENV] = previous;
  });

  it('the rate and queue charts have the forwarder history on the first poll, before the page polled twice', async () => {
    const page = await bed.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await login(page, bed, 'viewer');
    const sid = await pageSession(page);
    let samples: Array<{ ts: number; in: number }> = [];
    await expect.poll(async () => {
      const reply = await ubus(bed, sid, 'smartgrid.telemetry', 'history');
      samples = ((reply.result?.[1] as { samples?: typeof samples } | undefined)?.samples) ?? [];
      return samples.length;
    }, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(5);
    expect(samples.some((sample) => sample.in > 0)).toBe(true);

    await page.close();

    // A fresh tab (same session cookie): only this page's polls are counted.
    const view = await bed.browser.newPage();
    view.on('pageerror', (error) => errors.push(error.message));
    const statusCalls: number[] = [];
    view.on('request', (request) => {
      const body = request.postData() ?? '';
      if (request.url().includes('/ubus') && body.includes('"smartgrid.telemetry","status"')) statusCalls.push(Date.now());
    });
    await view.goto(pageUrl(bed, 'telemetry'));
    const lines = async (chart: string): Promise<ChartLine[]> => view.locator(`#${chart} polyline`).evaluateAll((nodes) => nodes.map((node) => ({
      series: node.getAttribute('data-series') ?? '',
      count: Number(node.getAttribute('data-count')),
      pairs: (node.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).length,
    })));
    await view.waitForSelector('#sg-chart-rates polyline', { state: 'attached', timeout: 20_000 });
    const rates = await lines('sg-chart-rates');
    const queue = await lines('sg-chart-queue');
    // One status poll (the page polls every 5 s): without the seeded history each line would hold one point.
    expect(statusCalls).toHaveLength(1);
    const incoming = rates.find((line) => line.series === 'in');
    expect(incoming?.count).toBeGreaterThanOrEqual(samples.length);
    expect(incoming?.pairs).toBe(incoming?.count);
    expect(rates.find((line) => line.series === 'out')?.count).toBeGreaterThan(1);
    expect(queue[0]?.count).toBeGreaterThanOrEqual(samples.length);
    expect(errors).toEqual([]);
    await view.close();
  }, 120_000);
});
