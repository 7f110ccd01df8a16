// The control interface against Debian's real hostapd with driver=none (a real ctrl_iface socket
// and hostapd_cli, no radio): PING, STATUS, ALL_STA, and a missing socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostapdCtrl, HostapdCtrlError, parseAllSta } from '../../../src/halow/hostapd/ctrl.js';
import { ProcessRunner } from '../../../src/lte/command.js';
import { requireTool } from '../../helpers/tools.js';
import { waitUntil } from '../../helpers/ubus.js';

const dir = mkdtempSync(join(tmpdir(), 'sg-hostapd-'));
let hostapd: ChildProcess;
const ctrl = (ctrlDir = join(dir, 'ctrl')) => new HostapdCtrl({ runner: new ProcessRunner(), cli: 'hostapd_cli', ctrlDir, ifname: 'sghalow0' });

beforeAll(async () => {
  requireTool('hostapd');
  requireTool('hostapd_cli');
  writeFileSync(join(dir, 'hostapd.conf'), `interface=sghalow0\ndriver=none\nctrl_interface=${join(dir, 'ctrl')}\nssid=smartgrid-halow\n`);
  hostapd = spawn('hostapd', [join(dir, 'hostapd.conf')], { stdio: 'ignore' });
  await waitUntil(() => existsSync(join(dir, 'ctrl', 'sghalow0')), 20_000, 'the hostapd control socket');
}, 30_000);

afterAll(() => {
  if (hostapd?.exitCode === null) hostapd.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('hostapd control interface (Debian hostapd, driver=none)', () => {
  it('answers PING and STATUS; ALL_STA is empty with no radio', async () => {
    expect(await ctrl().ping()).toBe(true);
    expect(await ctrl().status()).toMatchObject({ state: 'ENABLED' });
    expect(await ctrl().allStations()).toEqual([]);
  });

  it('a socket that is not there is a clear error, not an empty list', async () => {
    await expect(ctrl(join(dir, 'nowhere')).allStations()).rejects.toThrow(HostapdCtrlError);
    await expect(ctrl(join(dir, 'nowhere')).ping()).rejects.toThrow(/^hostapd_cli ping: exit \d+/);
  });
});

describe('ALL_STA blocks (hostapd ctrl_iface_ap.c format)', () => {
  it('reads flags, aid, inactivity, connected time and signal per station', () => {
    const text = [
      '02:4d:4d:00:00:01', 'flags=[AUTH][ASSOC][AUTHORIZED][WMM][MFP]', 'aid=1', 'capability=0x0', 'listen_interval=10', 'supported_rates=',
      'timeout_next=NULLFUNC POLL', 'rx_packets=42', 'tx_packets=40', 'rx_bytes=9000', 'tx_bytes=3000', 'inactive_msec=1200', 'signal=-71', 'connected_time=360',
      '02:4D:4D:00:00:02', 'flags=[AUTH][ASSOC]', 'aid=2', 'inactive_msec=45000',
    ].join('\n');
    expect(parseAllSta(text)).toEqual([
      { mac: '02:4d:4d:00:00:01', flags: ['AUTH', 'ASSOC', 'AUTHORIZED', 'WMM', 'MFP'], authorized: true, mfp: true, aid: 1, inactiveMs: 1200, connectedS: 360, signal: -71 },
      { mac: '02:4d:4d:00:00:02', flags: ['AUTH', 'ASSOC'], authorized: false, mfp: false, aid: 2, inactiveMs: 45000, connectedS: null, signal: null },
    ]);
  });
});
