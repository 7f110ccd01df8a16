import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, pageUrl, SCREENSHOTS, startBed, type Bed } from './bed.js';

describe('a simulated modem hang on the LTE page', () => {
  let bed: Bed;

  beforeAll(async () => { bed = await startBed(); }, 120_000);
  afterAll(async () => { await bed?.close(); });

  it('is visible while it lasts and the watchdog ladder brings the modem back', async () => {
    const page = await bed.browser.newPage();
    await login(page, bed, 'root');
    await page.goto(pageUrl(bed, 'lte'));
    const health = () => page.locator('#sg-lte-health').textContent();
    await expect.poll(() => page.locator('#sg-lte-state').textContent(), { timeout: 30_000 }).toContain('connected');
    await expect.poll(health, { timeout: 30_000 }).toContain('up');
    // "Probe now" shows what the watchdog replied, not a dump of the reply.
    await page.click('#sg-probe');
    await expect.poll(() => page.locator('#sg-lte-notice').textContent(), { timeout: 30_000 }).toMatch(/^\d of 2 targets answered through wwan0; the link is (up|down)$/);

    await page.click('#sg-sim-hang');
    // mmcli stops answering: the page shows the modem error and the link going down.
    await expect.poll(() => page.locator('#sg-lte-modem-error').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.locator('#sg-lte-modem-error').textContent()).toMatch(/timeout|timed out/i);
    // What the modem said before it stopped answering is marked stale, with when it was read.
    await expect.poll(() => page.locator('#sg-lte-state').textContent()).toMatch(/stale, read .+ \(\d+ (s|min \d+ s) ago\)/);
    await expect.poll(() => page.locator('#sg-lte-bearers').textContent()).toContain('stale, read');
    await expect.poll(health, { timeout: 60_000 }).toContain('down');
    await page.screenshot({ path: join(SCREENSHOTS, 'lte-modem-hang.png'), fullPage: true });

    // The ladder escalates (reconnect, interface restart, modem reset) up to the ModemManager restart that frees the modem.
    await expect.poll(() => page.locator('#sg-lte-history').textContent(), { timeout: 150_000, interval: 2000 }).toContain('mm_restart');
    await expect.poll(health, { timeout: 90_000, interval: 2000 }).toContain('up');
    await expect.poll(() => page.locator('#sg-lte-state').textContent(), { timeout: 30_000 }).toContain('connected');
    expect(await page.locator('#sg-lte-modem-error').count()).toBe(0);
    expect(bed.gateway.modem.state).toMatchObject({ condition: 'ok', index: 1, online: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'lte-recovered.png'), fullPage: true });
    await page.close();
  }, 360_000);
});
