// The Thread page on the simulated gateway: the real smartgrid-thread service drives the simulated
// RCP (real socat pty) and the otbr-agent stand-in; a fault triggered from the page's simulator panel
// shows up in the fault table and the network comes back to leader on screen. The stand-in replays
// network.json's 4-node network: the topology table, graph and links come from the service's
// `topology` reply.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, pageSession, pageUrl, SCREENSHOTS, startBed, ubus, type Bed } from './bed.js';

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
    await expect.poll(() => page.locator('#sg-thread-network').textContent(), { timeout: 30_000 }).toMatch(/partition 127342956, leader router 25, 3 routers, 1 children, RLOC16 25600/);
    expect(await page.locator('#sg-thread-identity').textContent()).toContain('18b4300000000001');
    expect(await page.locator('#sg-thread-supervisor').textContent()).toContain('smartgrid-thread (it runs otbr-agent itself)');
    await page.click('#sg-thread-sim-rcp-reboot');
    await expect.poll(() => page.locator('#sg-thread-faults').textContent(), { timeout: 30_000 }).toContain('rcp-reset');
    await expect.poll(() => page.locator('#sg-thread-counters').textContent(), { timeout: 30_000 }).toMatch(/1 recoveries/);
    await expect.poll(() => page.locator('#sg-thread-role').textContent(), { timeout: 30_000 }).toContain('leader');
    await page.screenshot({ path: join(SCREENSHOTS, 'thread.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('shows the 4-node topology as a table, a graph and the border router links; nodes say why they are missing', async () => {
    const page = await bed.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await login(page, bed, 'root');
    await page.goto(pageUrl(bed, 'thread'));
    const nodes = page.locator('#sg-thread-topology-nodes tr.tr:not(.table-titles):not(.placeholder)');
    await nodes.nth(3).waitFor({ timeout: 30_000 });
    expect(await nodes.allTextContents()).toEqual([
      expect.stringMatching(/^0x5c00router3acdd6a010257805/), expect.stringMatching(/^0x6400leader72eb61eb9f73bca1/),
      expect.stringMatching(/^0xb000router4e8df1deae6e30f9/), expect.stringMatching(/^0x6403child26e9d421225260610x6400/),
    ]);
    expect(await page.locator('#sg-thread-topology-source').textContent()).toContain('current');
    const graph = page.locator('#sg-thread-graph svg');
    expect([await graph.locator('circle').count(), await graph.locator('rect').count(), await graph.locator('line.sg-topology-link').count(), await graph.locator('line.sg-topology-child').count()]).toEqual([3, 1, 3, 1]);
    expect(await graph.locator('.sg-topology-leader').getAttribute('data-rloc16')).toBe('0x6400');
    const links = await page.locator('#sg-thread-topology-links tr.tr:not(.table-titles)').allTextContents();
    expect(links).toHaveLength(3);
    for (const link of links) expect(link).toMatch(/^0x[0-9a-f]{4}(router|child)[0-9a-f]{16}3-20 dBm-20 dBm/);
    await page.click('#sg-thread-topology-read');
    await expect.poll(() => page.locator('#sg-thread-topology-read').isDisabled(), { timeout: 30_000 }).toBe(false);
    expect(await page.locator('#sg-thread-topology-source').textContent()).toContain('current');
    // Until the CoAP bridge is merged the service has no `nodes` method: the section says so, the page stays.
    const nodesCall = await ubus(bed, await pageSession(page), 'smartgrid.thread', 'nodes');
    if (nodesCall.result?.[0] === 0) await page.locator('#sg-thread-nodes-table').waitFor();
    else expect(await page.locator('#sg-thread-nodes-error').textContent()).toBe('The node list is not available: smartgrid.thread.nodes: Method not found');
    await page.locator('#sg-thread-topology').screenshot({ path: join(SCREENSHOTS, 'thread-topology.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
