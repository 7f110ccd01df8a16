import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, login, pageSession, pageUrl, SCREENSHOTS, startBed, ubus, type Bed } from './bed.js';

const HTML_OPERATOR = 'Movistar <b>ES</b>';
// A meter id that is a valid MQTT topic level (no +, #, /) and would run script if it were ever parsed as HTML.
const HTML_METER = '<img src=x onerror=alert(1)>';

describe('LuCI pages on the simulated gateway (playwright + chromium)', () => {
  let bed: Bed;
  const smartgrid = () => readFileSync(join(bed.gateway.configDir, 'smartgrid'), 'utf8');

  beforeAll(async () => { bed = await startBed({ operatorName: HTML_OPERATOR, extraMeters: [HTML_METER] }); }, 120_000);
  afterAll(async () => { await bed?.close(); });

  it('logs in with the demo password and lands on the overview; a wrong password is refused', async () => {
    const page = await bed.browser.newPage();
    await page.goto(`${bed.gateway.url}/cgi-bin/luci/`);
    await page.fill('#luci_password', 'wrong');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('.alert-message.error').textContent()).toContain('Invalid username');
    await login(page, bed, 'root');
    await page.waitForSelector('#sg-overview', { timeout: 20_000 });
    expect(await page.locator('#luci_password').count()).toBe(0);
    await page.close();
  });

  it('every page renders real data from the running services', async () => {
    const page = await bed.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await login(page, bed, 'root');
    await expect.poll(() => page.locator('#sg-services').textContent(), { timeout: 30_000 }).toMatch(/Telemetry\s*ok/);
    await expect.poll(() => page.locator('#sg-rates .cbi-value-field').textContent(), { timeout: 30_000 }).toMatch(/^\d+(\.\d+)? \/ \d/);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });

    await page.goto(pageUrl(bed, 'telemetry'));
    await expect.poll(() => page.locator('#sg-telemetry-state').textContent(), { timeout: 30_000 }).toContain('running');
    await expect.poll(() => page.locator('#sg-telemetry-queue').textContent()).not.toContain('—');
    // The package's CSS is loaded: chart labels in the theme's text size, legend swatches visible.
    await expect.poll(() => page.locator('#sg-chart-rates polyline').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const chart = await page.evaluate(() => {
      const size = (selector: string) => parseFloat(getComputedStyle(document.querySelector(selector)!).fontSize);
      const swatch = document.querySelector('#sg-chart-rates .sg-legend i')!.getBoundingClientRect();
      return { axis: size('#sg-chart-rates .sg-axis-y span'), body: size('body'), swatch: [swatch.width, swatch.height] };
    });
    expect(chart.axis).toBeLessThanOrEqual(chart.body);
    expect(chart.axis).toBeGreaterThan(chart.body * 0.7);
    expect(Math.min(...chart.swatch)).toBeGreaterThan(5);
    await page.screenshot({ path: join(SCREENSHOTS, 'telemetry.png'), fullPage: true });

    await page.goto(pageUrl(bed, 'lte'));
    await expect.poll(() => page.locator('#sg-lte-state').textContent(), { timeout: 30_000 }).toContain('connected');
    await expect.poll(() => page.locator('#sg-lte-signal').textContent()).toMatch(/RSRP\s*-\d+/);
    await expect.poll(() => page.locator('#sg-lte-bearers').textContent()).toContain('internet.telekom');
    await page.screenshot({ path: join(SCREENSHOTS, 'lte.png'), fullPage: true });

    await page.goto(`${pageUrl(bed, 'overview')}?lang=es`);
    await expect.poll(() => page.locator('#sg-overview h3').first().textContent()).toBe('Servicios');
    await expect.poll(() => page.locator('#sg-services').textContent(), { timeout: 30_000 }).toContain('Telemetría');
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-es.png'), fullPage: true });
    await page.goto(`${pageUrl(bed, 'overview')}?lang=en`);
    await expect.poll(() => page.locator('#sg-telemetry-health').textContent(), { timeout: 30_000 }).toContain('ok');
    expect(await page.locator('#luci-rpc-error').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('device-provided strings containing HTML are shown as text', async () => {
    const page = await bed.browser.newPage();
    let dialogs = 0;
    page.on('dialog', (dialog) => { dialogs++; void dialog.dismiss(); });
    await login(page, bed, 'root');
    await page.goto(pageUrl(bed, 'lte'));
    await expect.poll(() => page.locator('#sg-lte-registration').textContent(), { timeout: 30_000 }).toContain(HTML_OPERATOR);
    expect(await page.locator('#sg-lte-registration b').count()).toBe(0);
    expect(dialogs).toBe(0);
    await page.close();
  }, 60_000);

  it('a meter id containing HTML shows as text in the recent anomalies (no element is created)', async () => {
    const brokerPort = /config telemetry[^]*?option broker_port '(\d+)'/.exec(smartgrid())?.[1];
    expect(brokerPort).toBeDefined();
    const field = await mqtt.connectAsync(`mqtt://127.0.0.1:${brokerPort}`, { clientId: 'e2e-html-meter' });
    // voltage_l1_v outside the demo's range rule 200:260.
    await field.publishAsync(`telemetry/es-mad/dcu-01/${HTML_METER}`, JSON.stringify({ ts: Date.now(), values: { voltage_l1_v: 123.4 } }), { qos: 1 });
    await field.endAsync();
    const page = await bed.browser.newPage();
    let dialogs = 0;
    page.on('dialog', (dialog) => { dialogs++; void dialog.dismiss(); });
    await login(page, bed, 'root');
    await page.goto(pageUrl(bed, 'telemetry'));
    const row = page.locator('#sg-anomalies tr', { hasText: HTML_METER });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await row.first().locator('td').nth(1).textContent()).toBe(HTML_METER);
    expect(await row.first().textContent()).toContain('voltage_l1_v = 123.4');
    expect(await page.locator('#sg-anomalies img, img[src="x"]').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'telemetry-html-meter.png'), fullPage: true });
    expect(dialogs).toBe(0);
    await page.close();
  }, 60_000);

  it('the mode switch offers the other two modes and sets critical-only', async () => {
    const page = await bed.browser.newPage();
    await login(page, bed, 'root');
    await page.goto(pageUrl(bed, 'telemetry'));
    await expect.poll(() => page.locator('#sg-telemetry-mode').textContent(), { timeout: 30_000 }).toContain('normal');
    expect(await page.locator('#sg-mode button').evaluateAll((buttons) => buttons.map((b) => b.id))).toEqual(['sg-mode-data-saving', 'sg-mode-critical-only']);
    await page.click('#sg-mode-critical-only');
    await expect.poll(() => page.locator('#sg-telemetry-mode').textContent(), { timeout: 15_000 }).toContain('critical-only');
    const sid = await pageSession(page);
    expect((await ubus(bed, sid, 'smartgrid.telemetry', 'status')).result?.[1]).toMatchObject({ mode: 'critical-only' });
    await page.click('#sg-mode-normal');
    await expect.poll(() => page.locator('#sg-telemetry-mode').textContent(), { timeout: 15_000 }).toContain('normal');
    await page.close();
  }, 60_000);

  it('a read-only session sees no working buttons and cannot change anything', async () => {
    const page = await bed.browser.newPage();
    await login(page, bed, 'viewer');
    for (const name of ['telemetry', 'lte']) {
      await page.goto(pageUrl(bed, name));
      await page.waitForSelector(`[id="cbi-smartgrid-${name}"]`);
      expect(await page.locator('#sg-save-apply, #sg-reset, #sg-flush, #sg-mode, #sg-probe, #sg-sim').count()).toBe(0);
      expect(await page.locator(`[id="cbi-smartgrid-${name}"] input:not([disabled]), [id="cbi-smartgrid-${name}"] select:not([disabled])`).count()).toBe(0);
      expect(await page.locator(`[id="cbi-smartgrid-${name}"]`).textContent()).toContain('read-only');
      // LuCI's own first call (luci.getFeatures) passes for the documented viewer role.
      expect(await page.locator('#luci-rpc-error').count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-viewer.png`), fullPage: true });
    }
    const sid = await pageSession(page);
    expect((await ubus(bed, sid, 'uci', 'get', { config: 'smartgrid', section: 'telemetry', option: 'enabled' })).result).toEqual([0, { value: '1' }]);
    expect((await ubus(bed, sid, 'uci', 'set', { config: 'smartgrid', section: 'telemetry', values: { mode: 'data-saving' } })).error?.code).toBe(-32002);
    expect((await ubus(bed, sid, 'uci', 'apply', { rollback: false })).error?.code).toBe(-32002);
    expect((await ubus(bed, sid, 'smartgrid.telemetry', 'flush')).error?.code).toBe(-32002);
    expect((await ubus(bed, sid, 'smartgrid.lte', 'reset', { step: 'reconnect', reason: 'x' })).error?.code).toBe(-32002);
    expect((await ubus(bed, sid, 'smartgrid.telemetry', 'status')).result?.[0]).toBe(0);
    await page.close();
  }, 60_000);

  it("an expired session brings up LuCI's login dialog; the rows keep their last values and never turn into 'not running'", async () => {
    const page = await bed.browser.newPage();
    await login(page, bed, 'root');
    await expect.poll(() => page.locator('#sg-services').textContent(), { timeout: 30_000 }).toMatch(/Telemetry\s*ok/);
    expect(bed.gateway.web.sessions.destroy(await pageSession(page))).toBe(true);
    await expect.poll(() => page.locator('.modal h4').textContent(), { timeout: 30_000 }).toBe('Session expired');
    expect(await page.locator('#sg-session-expired').textContent()).toContain('no longer updated');
    expect(await page.locator('#sg-services').textContent()).not.toContain('not running');
    await page.screenshot({ path: join(SCREENSHOTS, 'session-expired.png'), fullPage: true });
    await page.click('#luci-relogin');
    await page.waitForSelector('#luci_password');
    await page.close();
  }, 60_000);
});
