// The HaLow page on the simulated gateway: the real smartgrid-halow applies its AP profile (uci
// stand-in), follows the hostapd stand-in where three DCUs join, then dcu-02 weakens and dcu-03
// goes silent; the page shows the plan, the dry-run diff, the weak DCU and the missing one (en + es).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, pageUrl, SCREENSHOTS, startBed, type Bed } from './bed.js';

describe('HaLow page on the simulated gateway', () => {
  let bed: Bed;
  beforeAll(async () => { bed = await startBed({ halowWeakAfterS: 3, halowSilentAfterS: 6 }); }, 120_000);
  afterAll(async () => { await bed?.close(); });

  it('shows the legal plan, the applied profile, a weak DCU and a missing one', async () => {
    const page = await bed.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await login(page, bed, 'root');
    await page.goto(pageUrl(bed, 'halow'));
    await expect.poll(() => page.locator('#sg-halow-channel').textContent(), { timeout: 30_000 }).toContain('865.5 MHz');
    await expect.poll(() => page.locator('#sg-halow-last-apply').textContent(), { timeout: 30_000 }).toContain('applied');
    expect(readFileSync(join(bed.gateway.configDir, 'wireless'), 'utf8')).toContain("option country 'ES'");
    await expect.poll(() => page.locator('#sg-halow-channels').textContent(), { timeout: 30_000 }).toContain('not allowed in this country');
    await page.click('#sg-halow-dry-run');
    await expect.poll(() => page.locator('#sg-halow-diff').textContent(), { timeout: 20_000 }).toContain('nothing to change');
    await expect.poll(() => page.locator('#sg-halow-dcus').textContent(), { timeout: 90_000 }).toMatch(/dcu-03.*missing/s);
    await expect.poll(() => page.locator('#sg-halow-dcus .sg-bad').allTextContents(), { timeout: 30_000 }).toContain('-76 dBm');
    await page.screenshot({ path: join(SCREENSHOTS, 'halow.png'), fullPage: true });
    await page.goto(`${pageUrl(bed, 'halow')}?lang=es`);
    await expect.poll(() => page.locator('#sg-halow-dcus').textContent(), { timeout: 30_000 }).toContain('ausente');
    await page.goto(`${pageUrl(bed, 'halow')}?lang=en`);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
