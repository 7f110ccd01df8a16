import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, login, pageSession, pageUrl, SCREENSHOTS, startBed, ubus, type Bed } from './bed.js';

/** Configuration forms generated from the schemas, saved with uci apply (rollback) + confirm. */
describe('configuration forms on the simulated gateway', () => {
  let bed: Bed;
  let page: Page;
  const smartgrid = () => readFileSync(join(bed.gateway.configDir, 'smartgrid'), 'utf8');
  const notice = () => page.locator('#sg-form-notice').textContent();
  /** The lines of `config <type> '<name>'` in /etc/config/smartgrid (what `uci show smartgrid.<name>` lists). */
  const sectionLines = (name: string) => {
    const block = new RegExp(`^config \\S+ '${name}'\\n((?:\\t.*\\n)*)`, 'm').exec(smartgrid());
    return (block?.[1] ?? '').split('\n').filter(Boolean);
  };
  async function saveAndWait() {
    await page.click('#sg-save-apply');
    await expect.poll(notice, { timeout: 30_000 }).toContain('Configuration changes applied.');
  }

  beforeAll(async () => {
    bed = await startBed({ applyRollbackS: 8, applyHoldoffS: 1 });
    page = await bed.browser.newPage();
    await login(page, bed, 'root');
  }, 120_000);
  afterAll(async () => { await bed?.close(); });

  async function openTab(section: string, tab: string) {
    await page.goto(pageUrl(bed, section));
    await page.waitForSelector(`[id="cbi-smartgrid-${section}"]`);
    await page.click(`[id="cbi-smartgrid-${section}"] a[data-sg-tab="${tab}"]`);
  }

  it('a valid change is validated, applied with rollback, confirmed, persisted and shown after reload', async () => {
    await openTab('telemetry', 'Batching');
    await field(page, 'telemetry', 'batch_max_readings').fill('500');
    await page.click('#sg-save-apply');
    await expect.poll(notice, { timeout: 30_000 }).toContain('Configuration changes applied.');
    expect(smartgrid()).toContain("\toption batch_max_readings '500'\n");
    const sid = await pageSession(page);
    expect((await ubus(bed, sid, 'uci', 'changes', { config: 'smartgrid' })).result).toEqual([0, { changes: [] }]);
    expect((await ubus(bed, sid, 'uci', 'confirm')).result).toEqual([5]);
    await openTab('telemetry', 'Batching');
    await expect.poll(() => field(page, 'telemetry', 'batch_max_readings').inputValue()).toBe('500');
    expect((await ubus(bed, sid, 'smartgrid.telemetry', 'status')).result?.[0]).toBe(0);
  }, 60_000);

  it('a save writes only the changed option; set back to its default it is removed again', async () => {
    const before = sectionLines('lte');
    expect(before.length).toBeGreaterThan(2);
    await openTab('lte', 'General');
    await field(page, 'lte', 'log_level').selectOption('debug');
    await saveAndWait();
    expect(sectionLines('lte')).toEqual(before.map((line) => (line === "\toption log_level 'info'" ? "\toption log_level 'debug'" : line)));
    await openTab('lte', 'General');
    await expect.poll(() => field(page, 'lte', 'log_level').inputValue()).toBe('debug');
    await field(page, 'lte', 'log_level').selectOption('info');
    await saveAndWait();
    expect(sectionLines('lte')).toEqual(before.filter((line) => line !== "\toption log_level 'info'"));
  }, 90_000);

  it('an emptied field shows the default it stands for and removes the option', async () => {
    const before = sectionLines('lte');
    await openTab('lte', 'Probes');
    const probeInterval = field(page, 'lte', 'probe_interval');
    await expect.poll(() => probeInterval.inputValue()).toBe('2');
    await probeInterval.fill('');
    expect(await probeInterval.getAttribute('placeholder')).toMatch(/^default \(\d+\)$/);
    await saveAndWait();
    expect(sectionLines('lte')).toEqual(before.filter((line) => !line.startsWith('\toption probe_interval ')));
  }, 90_000);

  it('an invalid value is refused with the schema message and nothing is staged or written', async () => {
    const before = smartgrid();
    await openTab('telemetry', 'Batching');
    await field(page, 'telemetry', 'batch_max_readings').fill('99999');
    await page.click('#sg-save-apply');
    const message = "smartgrid.telemetry.batch_max_readings: value '99999' is above the maximum 10000";
    await expect.poll(() => page.locator('[id="cbi-smartgrid-telemetry-batch_max_readings"] .cbi-value-error-message').textContent()).toBe(message);
    expect(await notice()).toContain(message);
    await openTab('lte', 'Probes');
    await field(page, 'lte', 'probe_method').selectOption('dns');
    await field(page, 'lte', 'probe_interval').fill('ten');
    await page.click('#sg-save-apply');
    await expect.poll(notice).toContain("smartgrid.lte.probe_interval: value 'ten' is not an integer");
    const sid = await pageSession(page);
    expect((await ubus(bed, sid, 'uci', 'changes', { config: 'smartgrid' })).result).toEqual([0, { changes: [] }]);
    expect(smartgrid()).toBe(before);
  }, 60_000);

  it('a value the daemon rejected shows at its field, on its page and on the overview (not a green badge)', async () => {
    const sid = await pageSession(page);
    // As an OpenWISP template or `uci set` over ssh would: past the form's checks, straight to the daemon.
    expect((await ubus(bed, sid, 'uci', 'set', { config: 'smartgrid', section: 'telemetry', values: { batch_max_readings: '99999' } })).result).toEqual([0]);
    expect((await ubus(bed, sid, 'uci', 'apply', { rollback: false })).result).toEqual([0]);
    const message = "smartgrid.telemetry.batch_max_readings: value '99999' is above the maximum 10000";
    await page.goto(pageUrl(bed, 'telemetry'));
    await expect.poll(() => page.locator('#sg-config-errors').textContent(), { timeout: 30_000 }).toContain(message);
    expect(await page.locator('#sg-config-errors').textContent()).toContain('keeps running with the last good one');
    await page.click(`[id="cbi-smartgrid-telemetry"] a[data-sg-tab="Batching"]`);
    expect(await page.locator('[id="cbi-smartgrid-telemetry-batch_max_readings"] .cbi-value-error-message').textContent()).toBe(message);
    await page.screenshot({ path: join(SCREENSHOTS, 'telemetry-config-error.png'), fullPage: true });
    await page.goto(pageUrl(bed, 'overview'));
    const row = page.locator('#sg-services tr', { hasText: 'Telemetry' });
    await expect.poll(() => row.locator('.label').textContent(), { timeout: 30_000 }).toBe('config-error');
    expect(await row.textContent()).toContain(message);
    expect((await ubus(bed, sid, 'uci', 'delete', { config: 'smartgrid', section: 'telemetry', option: 'batch_max_readings' })).result).toEqual([0]);
    expect((await ubus(bed, sid, 'uci', 'apply', { rollback: false })).result).toEqual([0]);
    await expect.poll(() => row.locator('.label').textContent(), { timeout: 30_000 }).not.toBe('config-error');
  }, 90_000);

  it('an apply that is not confirmed in time is rolled back: old file restored, change staged again', async () => {
    const before = smartgrid();
    await openTab('telemetry', 'Upstream');
    await field(page, 'telemetry', 'upstream_keepalive').fill('120');
    // The admin is cut off right after apply: no confirm reaches the device.
    await page.route('**/ubus/**', (route) => (route.request().postData()?.includes('"confirm"') ? route.abort() : route.continue()));
    const applied = page.waitForRequest((request) => request.postData()?.includes('"apply"') ?? false);
    await page.click('#sg-save-apply');
    await applied;
    await expect.poll(smartgrid, { timeout: 10_000 }).toContain("\toption upstream_keepalive '120'\n");
    await expect.poll(notice, { timeout: 30_000 }).toContain('rolled back');
    expect(smartgrid()).toBe(before);
    await page.unroute('**/ubus/**');
    const sid = await pageSession(page);
    expect((await ubus(bed, sid, 'uci', 'changes', { config: 'smartgrid' })).result).toEqual([0, { changes: [['set', 'telemetry', 'upstream_keepalive', '120']] }]);
    expect((await ubus(bed, sid, 'uci', 'confirm')).result).toEqual([5]);
    await page.click('#sg-reset');
    await expect.poll(async () => (await ubus(bed, sid, 'uci', 'changes', { config: 'smartgrid' })).result).toEqual([0, { changes: [] }]);
  }, 60_000);

  it("LuCI's ui.tabs.init() finds no tab panes of ours: no stray tab menu, no TypeError, as root and as the viewer", async () => {
    for (const user of ['root', 'viewer'] as const) {
      const viewerPage = await bed.browser.newPage();
      const errors: string[] = [];
      viewerPage.on('pageerror', (error) => errors.push(error.message));
      // A tab index LuCI remembered from an earlier visit: with panes it does not own, it throws.
      await viewerPage.addInitScript(() => {
        const page = 'admin-services-smartgrid-' + location.pathname.split('/').pop();
        sessionStorage.setItem('tab', JSON.stringify({ page, paths: { '': 3 } }));
      });
      await login(viewerPage, bed, user);
      for (const name of ['telemetry', 'lte']) {
        await viewerPage.goto(pageUrl(bed, name));
        await viewerPage.waitForSelector(`[id="cbi-smartgrid-${name}"] .cbi-tabmenu`);
        await viewerPage.waitForFunction(() => document.querySelector('#view .spinning') === null);
        expect(await viewerPage.locator('#view [data-tab-group], #view [data-tab]').count()).toBe(0);
        expect(await viewerPage.locator(`[id="cbi-smartgrid-${name}"] .cbi-tabmenu`).count()).toBe(1);
      }
      expect(errors).toEqual([]);
      await viewerPage.close();
    }
  }, 90_000);
});
