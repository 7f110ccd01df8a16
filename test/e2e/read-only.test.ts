import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTION_SCHEMAS } from '../../src/lib/config/schemas/index.js';
import { simDoc } from '../stand-ins/mmcli/fixtures.js';
import { field, login, pageSession, pageUrl, startBed, ubus, type Bed } from './bed.js';

const PAGES = ['overview', 'telemetry', 'lte', 'thread', 'halow'];
const SIM = (simDoc(0).sim as { properties: { iccid: string; imsi: string } }).properties;

/** Every secret of every schema, set to a value nobody could guess, plus the SIM's full identities. */
const SECRET_VALUES: Record<string, Record<string, string>> = {
  telemetry: { upstream_access_token: `tok-${process.pid}-via-page`, broker_password: `pw-${process.pid}-local` },
  thread: { network_key: '00112233445566778899aabbccddeeff', pskc: 'ffeeddccbbaa99887766554433221100' },
  halow: { sae_password: `sae-${process.pid}-secret` },
  sep2: { broker_password: `sep2-${process.pid}-local`, client_pin: '0123456789abcdef0123456789abcdef01234567=111115' },
};

describe('a read-only login finds no secret anywhere', () => {
  let bed: Bed;
  let page: Page;
  const secretsFile = () => join(bed.gateway.configDir, 'smartgrid_secrets');
  const needles = () => [...Object.values(SECRET_VALUES).flatMap((values) => Object.values(values)), 'demo-gateway-token', SIM.iccid, SIM.imsi];
  const leaks = (text: string) => needles().filter((needle) => text.includes(needle));

  beforeAll(async () => {
    bed = await startBed({ applyRollbackS: 8, applyHoldoffS: 1 });
    page = await bed.browser.newPage();
  }, 120_000);
  afterAll(async () => { await bed?.close(); });

  it('covers every secret option of every schema', () => {
    const marked = Object.entries(SECTION_SCHEMAS).flatMap(([section, schema]) =>
      Object.entries(schema.properties).filter(([, option]) => option['x-secret']).map(([option]) => `${section}.${option}`));
    expect(marked.sort()).toEqual(Object.entries(SECRET_VALUES).flatMap(([section, values]) => Object.keys(values).map((option) => `${section}.${option}`)).sort());
  });

  it('the page writes a secret to smartgrid_secrets (0600), never to smartgrid, and never reads it back', async () => {
    await login(page, bed, 'root');
    await page.goto(pageUrl(bed, 'telemetry'));
    await page.waitForSelector('[id="cbi-smartgrid-telemetry"]');
    await page.click('[id="cbi-smartgrid-telemetry"] a[data-sg-tab="Upstream"]');
    await field(page, 'telemetry', 'upstream_access_token').fill(SECRET_VALUES.telemetry!.upstream_access_token!);
    await page.click('#sg-save-apply');
    await expect.poll(() => page.locator('#sg-form-notice').textContent(), { timeout: 30_000 }).toContain('Configuration changes applied.');
    expect(readFileSync(secretsFile(), 'utf8')).toContain(`option upstream_access_token '${SECRET_VALUES.telemetry!.upstream_access_token}'`);
    expect(statSync(secretsFile()).mode & 0o777).toBe(0o600);
    expect(leaks(readFileSync(join(bed.gateway.configDir, 'smartgrid'), 'utf8'))).toEqual([]);
    const sid = await pageSession(page);
    expect((await ubus(bed, sid, 'uci', 'get', { config: 'smartgrid_secrets' })).result).toEqual([6]);
    expect(await field(page, 'telemetry', 'upstream_access_token').inputValue()).toBe('');
  }, 60_000);

  it('the other secrets are set through rpcd too, write-only, and the services reload', async () => {
    const sid = await pageSession(page);
    for (const [section, values] of Object.entries(SECRET_VALUES)) {
      const result = await ubus(bed, sid, 'uci', 'set', { config: 'smartgrid_secrets', section, values });
      expect(result.result, section).toEqual([0]);
    }
    expect((await ubus(bed, sid, 'uci', 'apply', { rollback: false })).result).toEqual([0]);
    await expect.poll(() => leaks(readFileSync(secretsFile(), 'utf8')).length, { timeout: 20_000 }).toBe(Object.values(SECRET_VALUES).flatMap(Object.values).length);
  }, 60_000);

  it('as the viewer: uci, every status and every page carry none of them', async () => {
    const seen: string[] = [];
    page.on('response', (response) => { void response.text().then((body) => seen.push(body), () => undefined); });
    await login(page, bed, 'viewer');
    const sid = await pageSession(page);
    expect((await ubus(bed, sid, 'uci', 'get', { config: 'smartgrid_secrets' })).result).toEqual([6]);
    expect((await ubus(bed, sid, 'uci', 'set', { config: 'smartgrid_secrets', section: 'telemetry', values: { broker_password: 'x' } })).error?.code).toBe(-32002);
    expect((await ubus(bed, sid, 'smartgrid.lte', 'identity')).error?.code).toBe(-32002);
    const replies = [JSON.stringify(await ubus(bed, sid, 'uci', 'get', { config: 'smartgrid' })), JSON.stringify(await ubus(bed, sid, 'uci', 'changes', {}))];
    for (const [object, method] of [...Object.keys(SECTION_SCHEMAS).map((service) => [`smartgrid.${service}`, 'status']), ['smartgrid.telemetry', 'stats'], ['smartgrid.lte', 'history']]) {
      const reply = await ubus(bed, sid, object!, method!);
      expect(reply.result?.[0], `${object} ${method}`).toBe(0);
      replies.push(JSON.stringify(reply));
    }
    // The viewer does see the SIM, masked.
    expect(replies.join('\n')).toContain(`${SIM.iccid.slice(0, 6)}*********${SIM.iccid.slice(-4)}`);
    for (const name of PAGES) {
      await page.goto(pageUrl(bed, name));
      await page.waitForLoadState('networkidle');
      replies.push(await page.content());
    }
    expect(leaks(replies.join('\n'))).toEqual([]);
    expect(leaks(seen.join('\n'))).toEqual([]);
  }, 90_000);
});
