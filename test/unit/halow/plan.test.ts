import { describe, expect, it } from 'vitest';
import { defaultChannel, describeRow } from '../../../src/halow/plan/channels.js';
import { resolvePlan, type RadioOptions } from '../../../src/halow/plan/validate.js';
import { builtinTable } from '../../../src/halow/regdb/table.js';

const table = builtinTable();
const AUTO: RadioOptions = { region: 'US', channel: 0, bandwidth: 0, op_class: 0, txpower: 0, antenna_gain: 0 };

function issuesOf(options: Partial<RadioOptions>): string[] {
  const result = resolvePlan(table, { ...AUTO, ...options });
  return result.ok ? [] : result.issues.map((issue) => `${issue.option}: ${issue.message}`);
}

describe('plan validation', () => {
  it('refuses the seed design (US channel 7 at 8 MHz) and lists the legal 8 MHz channels', () => {
    expect(issuesOf({ channel: 7, bandwidth: 8 })).toEqual([
      'smartgrid.halow.channel: US channel 7 is a 1 MHz channel (905.5 MHz), not 8 MHz; US 8 MHz: channels 12, 28, 44',
    ]);
  });

  it('refuses a width the country does not allow (EU plans are 1 MHz only)', () => {
    expect(issuesOf({ region: 'FR', bandwidth: 2 })).toEqual([
      'smartgrid.halow.bandwidth: FR does not allow 2 MHz channels; allowed: FR 1 MHz: channels 1, 3, 5, 7, 9, 33, 35',
    ]);
  });

  it('refuses a channel absent from the country, an unknown country, and an MM6108-unusable channel', () => {
    expect(issuesOf({ region: 'AU', channel: 12 })[0]).toMatch(/^smartgrid\.halow\.channel: AU has no S1G channel 12; AU 1 MHz: channels 27, 29.*AU 8 MHz: channels 44$/);
    expect(issuesOf({ region: 'XX' })[0]).toMatch(/^smartgrid\.halow\.region: 'XX' is not a supported country; supported: AL, AR, AT, AU/);
    expect(issuesOf({ channel: 1 })).toEqual(['smartgrid.halow.channel: US channel 1 (902.5 MHz) cannot be used by the MM6108 radio; US 1 MHz: channels 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, 41, 43, 45, 47, 49, 51']);
  });

  it('checks the operating class (S1G or global) against the row', () => {
    expect(issuesOf({ channel: 28, op_class: 4 })).toEqual([]);
    expect(issuesOf({ channel: 28, op_class: 71 })).toEqual([]);
    expect(issuesOf({ channel: 28, op_class: 2 })).toEqual(['smartgrid.halow.op_class: US channel 28 is in S1G operating class 4 (global 71), not 2']);
  });

  it('counts the antenna gain towards the EIRP limit', () => {
    expect(issuesOf({ region: 'DE', channel: 5, txpower: 14, antenna_gain: 2 })).toEqual([]);
    expect(issuesOf({ region: 'DE', channel: 5, txpower: 14, antenna_gain: 3 })).toEqual([
      'smartgrid.halow.txpower: 14 dBm + 3 dBi antenna gain = 17 dBm EIRP exceeds the 16.13 dBm DE allows on channel 5; at most 13.13 dBm with this antenna',
    ]);
  });

  it('resolves a legal plan with its Morse country code, centre and shim channel', () => {
    const result = resolvePlan(table, { ...AUTO, region: 'de', channel: 5, txpower: 10, antenna_gain: 3 });
    expect(result.ok && { country: result.plan.country, code: result.plan.countryCode, centre: result.plan.row.centreMHz, shim: result.plan.shimChannel, eirp: result.plan.eirpDbm }).toEqual({ country: 'DE', code: 'DD', centre: 865.5, shim: 36, eirp: 13 });
  });
});

describe('default channel', () => {
  it('takes the widest usable width, away from the band edges', () => {
    const pick = (country: string, bandwidth?: 1 | 2 | 4 | 8) => defaultChannel(table, country, bandwidth)?.channel;
    expect(pick('US')).toBe(28);
    expect(pick('AU')).toBe(44);
    expect(pick('EU')).toBe(5);
    expect(pick('IN')).toBe(7);
    expect(pick('KR')).toBe(8);
    expect(pick('SG')).toBe(40);
    expect(pick('US', 1)).toBe(25);
    expect(pick('ZZ')).toBeUndefined();
  });

  it('picks a legal channel for every country in the table', () => {
    for (const country of table.countries()) {
      const result = resolvePlan(table, { ...AUTO, region: country });
      expect(result.ok, country).toBe(true);
      if (result.ok) expect(describeRow(result.plan.row).usable).toBe(true);
    }
  });
});
