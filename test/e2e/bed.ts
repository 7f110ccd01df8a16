import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDemoGateway, type DemoGateway, type DemoOptions } from '../../demo/gateway.js';

export const REPO = new URL('../..', import.meta.url).pathname;
export const SCREENSHOTS = join(REPO, 'build', 'artifacts', 'screenshots');
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** `make test` builds first; a lone `vitest run test/e2e` builds what is missing. */
export function ensureBuilt(): void {
  const pages = ['overview', 'telemetry', 'lte'].every((page) => existsSync(join(REPO, 'htdocs/luci-static/resources/smartgrid', `${page}.js`)));
  const services = existsSync(join(REPO, 'build/bundles/smartgrid-telemetry.js'));
  if (!pages || !services) execFileSync(process.execPath, [join(REPO, 'scripts/build.mjs')], { stdio: 'inherit' });
}

export interface Bed {
  gateway: DemoGateway;
  browser: BrowserContext;
  dir: string;
  close(): Promise<void>;
}

export async function startBed(options: Partial<DemoOptions> = {}): Promise<Bed> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'sg-e2e-'));
  const gateway = await startDemoGateway({ repo: REPO, dir: join(dir, 'gateway'), quiet: true, applyHoldoffS: 1, applyRollbackS: 8, meterIntervalS: 10, ...options });
  let browser: BrowserContext;
  try {
    browser = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    await gateway.stop();
    throw error;
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    gateway, browser, dir,
    close: async () => {
      await browser.close().catch(() => undefined);
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function pageUrl(bed: Bed, page: string): string {
  return `${bed.gateway.url}/cgi-bin/luci/admin/services/smartgrid/${page}`;
}

export async function login(page: Page, bed: Bed, user: 'root' | 'viewer'): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${bed.gateway.url}/cgi-bin/luci/`);
  await page.fill('#luci_username', user);
  await page.fill('#luci_password', bed.gateway.users[user]);
  await Promise.all([page.waitForURL(/smartgrid\/overview/), page.click('button[type=submit]')]);
}

/** The session id the page got in `L.env` (what the bundle sends to /ubus). */
export async function pageSession(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { L: { env: { sessionid: string } } }).L.env.sessionid);
}

export async function ubus(bed: Bed, sid: string, object: string, method: string, args: Record<string, unknown> = {}): Promise<{ result?: unknown[]; error?: { code: number } }> {
  const response = await fetch(`${bed.gateway.url}/ubus`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: [sid, object, method, args] }),
  });
  return (await response.json()) as { result?: unknown[]; error?: { code: number } };
}

export const field = (page: Page, section: string, option: string) => page.locator(`[id="widget.cbid.smartgrid.${section}.${option}"]`);
