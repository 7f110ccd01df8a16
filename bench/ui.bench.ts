// LuCI page weight and speed: JS per page (gzip) and time to first render in headless chromium,
// against the simulated gateway with the real services. Targets: <= 60 KB gzip, first render < 500 ms.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startDemoGateway } from '../demo/gateway.js';

const repo = process.cwd();
const PAGES = ['overview', 'telemetry', 'lte'] as const;
const RUNS = 7;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (!existsSync(join(repo, 'htdocs/luci-static/resources/smartgrid/overview.js'))) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

console.log('page        bundle KB   gzip KB (bundle + view + page.js + smartgrid.css)   target <= 60 KB');
// What every page loads besides its own bundle and view module: the shared view helper and the app's CSS.
const shared = ['page.js', 'smartgrid.css'].map((file) => readFileSync(join(repo, 'htdocs/luci-static/resources/smartgrid', file)));
const weights: Record<string, number> = {};
for (const page of PAGES) {
  const bundle = readFileSync(join(repo, 'htdocs/luci-static/resources/smartgrid', `${page}.js`));
  const view = readFileSync(join(repo, 'htdocs/luci-static/resources/view/smartgrid', `${page}.js`));
  const gz = [bundle, view, ...shared].reduce((sum, file) => sum + gzipSync(file, { level: 9 }).length, 0) / 1024;
  weights[page] = gz;
  console.log(`${page.padEnd(12)}${(bundle.length / 1024).toFixed(1).padStart(9)}   ${gz.toFixed(1).padStart(7)}                                              ${gz <= 60 ? 'ok' : 'OVER'}`);
}

const dir = mkdtempSync(join(tmpdir(), 'sg-ui-bench-'));
const gateway = await startDemoGateway({ repo, dir: join(dir, 'gateway'), quiet: true });
const browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
try {
  const page = await browser.newPage();
  // Marks when the component first puts a LuCI section into the view, and when real data first shows.
  await page.addInitScript(() => {
    const marks: Record<string, number> = {};
    (window as unknown as { __sgMarks: Record<string, number> }).__sgMarks = marks;
    new MutationObserver(() => {
      const view = document.getElementById('view');
      if (!view) return;
      if (marks.first === undefined && view.querySelector('.cbi-section')) marks.first = performance.now();
      if (marks.data === undefined && view.querySelector('.sg-ok')) marks.data = performance.now();
    }).observe(document, { subtree: true, childList: true });
  });
  await page.goto(`${gateway.url}/cgi-bin/luci/`);
  await page.fill('#luci_password', gateway.users.root);
  await Promise.all([page.waitForURL(/overview/), page.click('button[type=submit]')]);
  await page.waitForTimeout(3000);
  console.log('\npage        first render ms (median of %d)   with live data ms   target < 500 ms', RUNS);
  for (const name of PAGES) {
    const first: number[] = [];
    const data: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto(`${gateway.url}/cgi-bin/luci/admin/services/smartgrid/${name}`);
      await page.waitForFunction(() => {
        const marks = (window as unknown as { __sgMarks: Record<string, number> }).__sgMarks;
        return marks.first !== undefined && marks.data !== undefined;
      }, undefined, { timeout: 20_000 });
      const marks = await page.evaluate(() => (window as unknown as { __sgMarks: Record<string, number> }).__sgMarks);
      first.push(marks.first!);
      data.push(marks.data!);
    }
    const m = median(first);
    console.log(`${name.padEnd(12)}${m.toFixed(0).padStart(8)}                          ${median(data).toFixed(0).padStart(6)}            ${m < 500 ? 'ok' : 'OVER'}`);
  }
} finally {
  await browser.close();
  await gateway.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nui: max page weight ${Math.max(...Object.values(weights)).toFixed(1)} KB gzip`);
