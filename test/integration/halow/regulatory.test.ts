import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HALOW_ACL, HALOW_OBJECT } from '../../../src/halow/contract.js';
import { startHalow, type HalowHarness } from './harness.js';

let halow: HalowHarness;
beforeAll(async () => { halow = await startHalow({ region: 'US', channel: 28, bandwidth: 8, sae_password: 'dcu-fleet-secret' }); }, 30_000);
afterAll(async () => { await halow?.stop(); });

describe('smartgrid.halow regulatory plan over ubus', () => {
  it('status shows the plan: centre, shim channel, op classes, EIRP', async () => {
    const status = await halow.call('status');
    expect(status).toMatchObject({ service: 'halow', state: 'running', regdb: { source: 'builtin', countries: 49, mismatches: 0 }, plan_issues: [] });
    expect(status.plan).toEqual({
      country: 'US', country_code: 'US', channel: 28, bandwidth: 8, centre_mhz: 916, shim_channel: 114, s1g_op_class: 4, global_op_class: 71,
      eirp_dbm: 36, eirp_max_dbm: 36, txpower_dbm: null, duty_cycle_ap: 100, duty_cycle_sta: 100,
    });
  });

  it('an illegal plan on reload is refused by option, with the legal alternatives', async () => {
    await halow.reconfigure({ region: 'US', channel: 7, bandwidth: 8, sae_password: 'dcu-fleet-secret' });
    const status = await halow.call('status');
    expect(status.plan).toBeNull();
    expect(status.plan_issues).toEqual([{ option: 'smartgrid.halow.channel', message: 'US channel 7 is a 1 MHz channel (905.5 MHz), not 8 MHz; US 8 MHz: channels 12, 28, 44' }]);
    await halow.reconfigure({ region: 'DE', sae_password: 'dcu-fleet-secret' });
    expect((await halow.call('status')).plan).toMatchObject({ country: 'DE', country_code: 'DD', channel: 5, bandwidth: 1, centre_mhz: 865.5, duty_cycle_ap: 10, duty_cycle_sta: 2.8 });
  });

  it('channels {country} lists every channel, the default, and why other widths are refused', async () => {
    const reply = await halow.call('channels', { country: 'FR' });
    expect(reply).toMatchObject({ country: 'FR', default_channel: 5, bandwidths: [1] });
    expect(reply.refused_bandwidths).toContainEqual({ bandwidth: 8, reason: "FR's regulations allow no 8 MHz channel (allowed: 1 MHz)" });
    expect((reply.channels as Array<{ channel: number }>).map((row) => row.channel)).toEqual([1, 3, 5, 7, 9, 33, 35]);
    const us = await halow.call('channels', { country: 'US' });
    expect((us.channels as Array<{ channel: number; usable: boolean; reason?: string }>).find((row) => row.channel === 1)).toMatchObject({ usable: false, reason: 'the MM6108 radio cannot tune this channel' });
    await expect(halow.call('channels', { country: 'XX' })).rejects.toThrow(/INVALID_ARGUMENT|not a supported country/);
  });
});

describe('LuCI ACL of smartgrid.halow', () => {
  it('grants exactly the contract: read methods in read, write methods in write', () => {
    const acl = JSON.parse(readFileSync(new URL('../../../luci-app-smartgrid/root/usr/share/rpcd/acl.d/luci-app-smartgrid.json', import.meta.url), 'utf8')) as Record<string, { read: { ubus: Record<string, string[]> }; write: { ubus: Record<string, string[]> } }>;
    const app = acl['luci-app-smartgrid']!;
    expect([...app.read.ubus[HALOW_OBJECT]!].sort()).toEqual([...HALOW_ACL.read].sort());
    expect([...(app.write.ubus[HALOW_OBJECT] ?? [])].sort()).toEqual([...HALOW_ACL.write].sort());
  });
});
