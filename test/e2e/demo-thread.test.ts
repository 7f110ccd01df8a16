// The Thread page on the simulated gateway: the real smartgrid-thread service drives the simulated
// RCP (real socat pty) and the otbr-agent stand-in; a fault triggered from the page's simulator panel
// shows up in the fault table and the network comes back to leader on screen.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, pageUrl, SCREENSHOTS, startBed, type Bed } from './bed.js';

describe('Thread page on the simulated gateway (playwright + chromium)', () => {
  let bed: Bed;
  beforeAll(async () => { bed = await startBed(); }, 120_000);
  afterAll(async () => { await bed?.close(); });

  it('shows the RCP and the leader role, recovers from an RCP reboot triggered on the page', async () => {
    const page = await bed.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await login(page, bed, 'root');
    await page.goto(pageUrl(bed, 'thread'));
    await expect.poll(() => page.locator('#sg-thread-role').textContent(), { timeout: 30_000 }).toContain('leader');
    expect(await page.locator('#sg-thread-firmware').textContent()).toContain('OPENTHREAD/');
    expect(await page.locator('#sg-thread-network').textContent()).toMatch(/partition \d+, leader router \d+, 1 routers/);
    expect(await page.locator('#sg-thread-identity').textContent()).toContain('18b4300000000001');
    await page.click('#sg-thread-sim-rcp-reboot');
    await expect.poll(() => page.locator('#sg-thread-faults').textContent(), { timeout: 30_000 }).toContain('rcp-reset');
    await expect.poll(() => page.locator('#sg-thread-counters').textContent(), { timeout: 30_000 }).toMatch(/1 recoveries/);
    await expect.poll(() => page.locator('#sg-thread-role').textContent(), { timeout: 30_000 }).toContain('leader');
    await page.screenshot({ path: join(SCREENSHOTS, 'thread.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
