// The LuCI page against the bundled sep2 service, through the rpcd/uhttpd stand-in, in Debian's chromium.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFromCertificate } from '../../../src/sep2/tls/lfdi.js';
import { CHROMIUM_ARGS, ensureBuilt } from '../../e2e/bed.js';
import { makeSep2Pki, type Sep2Pki } from '../../helpers/sep2-pki.js';
import { requireTool } from '../../helpers/tools.js';
import { startRpcdUhttpd, type RpcdUhttpd } from '../../stand-ins/rpcd-uhttpd/server.js';
import { UbusClientBackend } from '../../stand-ins/rpcd-uhttpd/ubus-backend.js';
import { sep2Request, startSep2, type RunningSep2 } from './harness.js';

describe('LuCI page Services > Smart Grid > IEEE 2030.5 (chromium)', () => {
  let pki: Sep2Pki;
  let sep2: RunningSep2;
  let web: RpcdUhttpd;
  let browser: BrowserContext;
  let dir: string;
  let lfdi: string;

  beforeAll(async () => {
    requireTool('chromium');
    ensureBuilt();
    pki = makeSep2Pki();
    lfdi = identityFromCertificate(pki.der(pki.clients.utility.cert)).lfdi;
    sep2 = await startSep2({ pki, options: { client: [`${lfdi}=utility`] } });
    await sep2Request(sep2.port, pki, pki.clients.utility, 'GET', '/dcap');
    dir = mkdtempSync(join(tmpdir(), 'sg-sep2-page-'));
    mkdirSync(join(dir, 'fs/usr/lib/smartgrid'), { recursive: true });
    writeFileSync(join(dir, 'fs/usr/lib/smartgrid/smartgrid-sep2.js'), '');
    web = await startRpcdUhttpd({
      configDir: join(sep2.dir, 'uci'), fsRoot: join(dir, 'fs'), backend: new UbusClientBackend(sep2.bus.client),
      users: [{ username: 'root', password: 'page-test', read: ['*'], write: ['*'] }],
    });
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await web?.close();
    await sep2?.stop();
    pki?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the listener, the server certificate and the registered devices, in English and Spanish', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${web.url}/cgi-bin/luci/`);
    await page.fill('#luci_username', 'root');
    await page.fill('#luci_password', 'page-test');
    await Promise.all([page.waitForURL(/smartgrid/), page.click('button[type=submit]')]);
    await page.goto(`${web.url}/cgi-bin/luci/admin/services/smartgrid/sep2`);
    await expect.poll(() => page.locator('#sg-sep2-status').textContent(), { timeout: 30_000 }).toContain(`127.0.0.1:${sep2.port}`);
    expect(await page.locator('#sg-sep2-status').textContent()).toContain('ECDHE-ECDSA-AES128-CCM8');
    expect(await page.locator('#sg-sep2-certificate').textContent()).toContain('prime256v1');
    const clients = await page.locator('#sg-sep2-clients').textContent();
    expect(clients).toContain(lfdi);
    expect(clients).toContain('GET /dcap 200');
    expect(await page.locator('[id="widget.cbid.smartgrid.sep2.port"]').inputValue()).toBe(String(sep2.port));
    await page.goto(`${web.url}/cgi-bin/luci/admin/services/smartgrid/sep2?lang=es`);
    await expect.poll(() => page.locator('#sg-sep2-clients').textContent(), { timeout: 30_000 }).toContain('Dispositivos registrados');
    expect(errors).toEqual([]);
    await page.close();
  });
});
