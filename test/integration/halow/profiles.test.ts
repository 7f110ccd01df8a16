// Profiles rendered into wireless/network/dhcp/firewall through the uci CLI stand-in (`uci batch`),
// one debounced idempotent apply, dry-run diff, admin options left alone, security refusals.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseUciPackage } from '../../../src/lib/uci/parser.js';
import { findSection, type UciPackage } from '../../../src/lib/uci/types.js';
import { parseMorseCsv } from '../../../src/halow/regdb/morse-csv.js';
import { conformancePath } from '../../helpers/conformance.js';
import { waitUntil } from '../../helpers/ubus.js';
import { startHalow, type HalowHarness } from './harness.js';

const SECRET = 'dcu-fleet-secret';
const AP = { region: 'US', channel: 28, sae_password: SECRET, apply_delay: 50 };
let halow: HalowHarness | undefined;
afterEach(async () => { await halow?.stop(); halow = undefined; });

function config(name: string): UciPackage {
  return parseUciPackage(readFileSync(join(halow!.dir, name)), name);
}

function options(pkg: string, section: string): Record<string, unknown> {
  const found = findSection(config(pkg), section);
  return found ? Object.fromEntries(found.options) : {};
}

async function firstApply(target: HalowHarness): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> | null = null;
  await waitUntil(async () => { last = (await target.call('status')).last_apply as Record<string, unknown> | null; return last !== null; }, 15_000, 'the first apply');
  return last!;
}

describe('ap profile, bridged', () => {
  it('renders the Morse radio and a WPA3-SAE interface; the admin options and sections stay', async () => {
    halow = await startHalow(AP);
    expect(await firstApply(halow)).toMatchObject({ result: 'applied', reloads: ['wifi reload'] });
    expect(options('wireless', 'radio1')).toEqual({
      type: 'morse', path: 'platform/soc/fe300000.mmc/mmc_host/mmc1/mmc1:0001/mmc1:0001:1', bcf: 'bcf_mf08651_us.bin',
      channel: '28', band: 's1g', hwmode: '11ah', country: 'US', op_class: '4', disabled: '0',
    });
    expect(options('wireless', 'smartgrid_halow')).toEqual({
      device: 'radio1', ifname: 'wlan0', mode: 'ap', ssid: 'smartgrid-halow', maxassoc: '64', network: 'lan', encryption: 'sae', key: SECRET,
      ieee80211w: '2', sae_pwe: '1', sae_group: ['19'], hostapd_bss_options: ['sae_anti_clogging_threshold=5'], disabled: '0',
    });
    expect(options('wireless', 'admin_lan')).toMatchObject({ ssid: 'office', encryption: 'psk2', key: 'office-pass' });
    expect(halow.runner.calls).toEqual(['wifi reload']);
  });

  it('the same input again writes nothing and issues no wifi reload', async () => {
    halow = await startHalow(AP);
    await firstApply(halow);
    const before = readFileSync(join(halow.dir, 'wireless'), 'utf8');
    const again = await halow.call('apply');
    expect(again).toMatchObject({ ok: true, changes: [], apply: { result: 'unchanged', reloads: [] } });
    await halow.reconfigure(AP);
    expect((await halow.call('apply')).apply).toMatchObject({ result: 'unchanged' });
    expect(readFileSync(join(halow.dir, 'wireless'), 'utf8')).toBe(before);
    expect(halow.runner.calls).toEqual(['wifi reload']);
  });

  it('requests close together become one apply and one reload', async () => {
    halow = await startHalow({ ...AP, auto_apply: 0, apply_delay: 300 });
    const replies = await Promise.all([1, 2, 3, 4, 5].map(() => halow!.call('apply')));
    expect(new Set(replies.map((reply) => (reply.apply as { at: number }).at)).size).toBe(1);
    expect(halow.runner.calls).toEqual(['wifi reload']);
  });

  it('a dry run returns the exact diff and writes nothing; secrets show as ***', async () => {
    halow = await startHalow(AP);
    await firstApply(halow);
    const before = readFileSync(join(halow.dir, 'wireless'), 'utf8');
    await halow.reconfigure({ ...AP, auto_apply: 0, channel: 12, sae_password: 'another-secret-1' });
    const reply = await halow.call('plan', { dry_run: true });
    expect(reply).toMatchObject({ ok: true, dry_run: true, plan: { channel: 12, centre_mhz: 908, shim_channel: 50 } });
    expect(reply.changes).toEqual(["wireless.radio1.channel: '28' -> '12'", "wireless.smartgrid_halow.key: '***' -> '***'"]);
    expect(readFileSync(join(halow.dir, 'wireless'), 'utf8')).toBe(before);
    expect(JSON.stringify(await halow.call('status'))).not.toContain('another-secret-1');
  });

  it('writes a plan netifd-morse accepts: its (country, channel, op_class) row exists in the Morse regdb', async () => {
    const morse = parseMorseCsv(readFileSync(conformancePath('halow', 'morse-regdb-channels.csv'), 'utf8'));
    for (const plan of [{ region: 'US', channel: 44 }, { region: 'DE', channel: 0 }, { region: 'GB', channel: 33 }, { region: 'JP', channel: 38 }, { region: 'KR', channel: 0 }]) {
      halow = await startHalow({ ...AP, ...plan });
      await firstApply(halow);
      const radio = options('wireless', 'radio1');
      expect(radio).toMatchObject({ type: 'morse', band: 's1g', hwmode: '11ah' });
      const row = morse.find((entry) => entry.morseCode === radio.country && entry.channel === Number(radio.channel) && entry.s1gOpClass === Number(radio.op_class));
      expect(row, JSON.stringify(radio)).toBeDefined();
      await halow.stop();
      halow = undefined;
    }
  });
});

describe('apply with rollback (LuCI apply/confirm)', () => {
  it('an apply nobody confirms is rolled back: the previous configs return and are reloaded', async () => {
    halow = await startHalow({ ...AP, auto_apply: 0 });
    const content = (name: string) => Object.fromEntries(config(name).sections.map((section) => [section.name, { type: section.type, ...Object.fromEntries(section.options) }]));
    const before = { wireless: content('wireless'), network: content('network'), firewall: content('firewall'), dhcp: content('dhcp') };
    await halow.reconfigure({ ...AP, auto_apply: 0, network_mode: 'routed' });
    expect(await halow.call('apply', { rollback: 1 })).toMatchObject({ ok: true, apply: { result: 'applied' } });
    expect((await halow.call('status')).awaiting_confirm).toBe(true);
    expect(options('network', 'halow')).toMatchObject({ proto: 'static' });
    await waitUntil(async () => ((await halow!.call('status')).last_apply as { result: string }).result === 'rolled-back', 20_000, 'the rollback');
    expect({ wireless: content('wireless'), network: content('network'), firewall: content('firewall'), dhcp: content('dhcp') }).toEqual(before);
    expect(halow.runner.calls.filter((call) => call === '/etc/init.d/network reload')).toHaveLength(2);
  });

  it('a confirmed apply stays; a confirm with nothing pending is refused', async () => {
    halow = await startHalow({ ...AP, auto_apply: 0 });
    await halow.call('apply', { rollback: 2 });
    expect(await halow.call('confirm')).toEqual({ confirmed: true });
    await expect(halow.call('confirm')).rejects.toThrow();
    const status = await halow.call('status');
    expect(status).toMatchObject({ awaiting_confirm: false, last_apply: { result: 'applied' } });
    expect(options('wireless', 'radio1')).toMatchObject({ channel: '28', country: 'US' });
  });
});

describe('ap profile, routed; sta, mesh and easymesh', () => {
  it('routed: own subnet, DHCP and a zone reaching DHCP/DNS/MQTT only; back to bridge retires them', async () => {
    halow = await startHalow({ ...AP, network_mode: 'routed', subnet: '10.42.0.1/24' });
    expect(await firstApply(halow)).toMatchObject({ result: 'applied', reloads: ['/etc/init.d/network reload', '/etc/init.d/dnsmasq reload', '/etc/init.d/firewall reload'] });
    expect(options('network', 'halow')).toEqual({ proto: 'static', ipaddr: '10.42.0.1', netmask: '255.255.255.0' });
    expect(options('dhcp', 'halow')).toEqual({ interface: 'halow', start: '100', limit: '150', leasetime: '12h' });
    expect(options('firewall', 'smartgrid_halow')).toEqual({ name: 'halow', network: ['halow'], input: 'REJECT', output: 'ACCEPT', forward: 'REJECT' });
    expect(options('firewall', 'smartgrid_halow_mqtt')).toMatchObject({ src: 'halow', proto: 'tcp', dest_port: '1883', target: 'ACCEPT' });
    expect(options('wireless', 'smartgrid_halow').network).toBe('halow');
    expect(options('network', 'lan')).toMatchObject({ ipaddr: '192.168.1.1' });
    await halow.reconfigure({ ...AP, network_mode: 'bridge' });
    await waitUntil(async () => findSection(config('firewall'), 'smartgrid_halow') === undefined, 15_000, 'the routed sections to go');
    expect(findSection(config('network'), 'halow')).toBeUndefined();
    expect(findSection(config('dhcp'), 'halow')).toBeUndefined();
    expect(findSection(config('firewall'), 'lan')).toBeDefined();
  });

  it('sta: joins the utility AP on a DHCP uplink in a masqueraded zone', async () => {
    halow = await startHalow({ ...AP, mode: 'sta', ssid: 'utility-backhaul' });
    await firstApply(halow);
    expect(options('wireless', 'smartgrid_halow')).toMatchObject({ mode: 'sta', ssid: 'utility-backhaul', network: 'halowwan', encryption: 'sae', ieee80211w: '2' });
    expect(options('wireless', 'smartgrid_halow').maxassoc).toBeUndefined();
    expect(options('network', 'halowwan')).toEqual({ proto: 'dhcp' });
    expect(options('firewall', 'smartgrid_halow')).toMatchObject({ name: 'halowwan', masq: '1' });
  });

  it('mesh: 802.11s parameters in mesh11sd, batman-adv on request; missing mesh11sd is a clear failure', async () => {
    halow = await startHalow({ ...AP, mode: 'mesh', mesh_id: 'feeder-7', mesh_ttl: 8, mesh_rssi_threshold: -80 });
    expect(await firstApply(halow)).toMatchObject({ result: 'failed', error: '/etc/config/mesh11sd does not exist (install mesh11sd)' });
    writeFileSync(join(halow.dir, 'mesh11sd'), "config mesh11sd 'setup'\n\toption enabled '1'\n");
    await halow.reconfigure({ ...AP, mode: 'mesh', mesh_id: 'feeder-7', mesh_ttl: 8, mesh_rssi_threshold: -80, mesh_batman: 1 });
    await waitUntil(async () => ((await halow!.call('status')).last_apply as { result: string }).result === 'applied', 15_000, 'the mesh apply');
    expect(options('mesh11sd', 'mesh_params')).toEqual({ mesh_fwding: '0', mesh_ttl: '8', mesh_rssi_threshold: '-80' });
    expect(options('wireless', 'smartgrid_halow')).toMatchObject({ mode: 'mesh', mesh_id: 'feeder-7', network: 'halowmesh' });
    expect(options('network', 'halowmesh')).toEqual({ proto: 'batadv_hardif', master: 'bat0' });
    expect(options('mesh11sd', 'setup')).toEqual({ enabled: '1' });
  });

  it('easymesh: prplMesh controller + agent, Multi-AP fronthaul/backhaul BSS', async () => {
    halow = await startHalow({ ...AP, mode: 'easymesh' }, { ...(await import('./harness.js')).DEVICE_CONFIGS, prplmesh: "config prplmesh 'config'\n\toption backhaul_wire_iface 'eth1'\n" });
    await firstApply(halow);
    expect(options('prplmesh', 'config')).toEqual({ backhaul_wire_iface: 'eth1', enable: '1', management_mode: 'Multi-AP-Controller-and-Agent', operating_mode: 'Gateway', master: '1', gateway: '1' });
    expect(options('wireless', 'smartgrid_halow')).toMatchObject({ mode: 'ap', multi_ap: '3', wds: '1' });
  });
});

describe('security refusals', () => {
  for (const [values, expected] of [
    [{ encryption: 'psk2' }, "smartgrid.halow.encryption: WPA2-only is refused: HaLow links use WPA3-SAE ('sae') only"],
    [{ encryption: 'none' }, "smartgrid.halow.encryption: an open network is refused: HaLow links use WPA3-SAE ('sae') only"],
    [{ encryption: 'owe' }, "smartgrid.halow.encryption: OWE (opportunistic encryption without authentication) is refused: HaLow links use WPA3-SAE ('sae') only"],
    [{ encryption: 'psk2+tkip' }, "smartgrid.halow.encryption: WPA2 with TKIP is refused: HaLow links use WPA3-SAE ('sae') only"],
    [{ ieee80211w: 1 }, 'smartgrid.halow.ieee80211w: management frame protection optional is refused: WPA3-SAE requires PMF (ieee80211w 2)'],
    [{ sae_password: '' }, 'smartgrid.halow.sae_password: no SAE password set: the HaLow interface stays down until one of 8-63 characters is set'],
  ] as const) {
    it(`refuses ${JSON.stringify(values)} and writes nothing`, async () => {
      halow = await startHalow({ ...AP, ...values });
      const before = readFileSync(join(halow.dir, 'wireless'), 'utf8');
      expect(await firstApply(halow)).toMatchObject({ result: 'refused' });
      const status = await halow.call('status');
      expect((status.plan_issues as Array<{ option: string; message: string }>).map((issue) => `${issue.option}: ${issue.message}`)).toEqual([expected]);
      expect(readFileSync(join(halow.dir, 'wireless'), 'utf8')).toBe(before);
      expect(halow.runner.calls).toEqual([]);
    });
  }
});
