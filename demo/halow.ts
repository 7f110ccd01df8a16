// The demo's HaLow side: hostapd.wlan0 (the stand-in written from OpenWrt's ubus.c) with the three
// DCUs of the field joining; after a while dcu-03 goes silent (missing after 3 intervals) and dcu-02
// weakens below -70 dBm (weak-signal alarm). Also the radio's UCI configs and a `wifi` command, so the
// real smartgrid-halow renders and applies its AP profile through the uci stand-in.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ubus } from '../src/lib/ubus/types.js';
import { StationSimulator } from '../test/stand-ins/hostapd/station-simulator.js';
import { HostapdUbusStandIn } from '../test/stand-ins/hostapd/ubus-object.js';

export const DEMO_DCUS = [
  { name: 'dcu-01', mac: '02:4d:4d:00:00:01', meters: 20, signal: -58 },
  { name: 'dcu-02', mac: '02:4d:4d:00:00:02', meters: 20, signal: -63 },
  { name: 'dcu-03', mac: '02:4d:4d:00:00:03', meters: 20, signal: -61 },
] as const;

/** `smartgrid.halow` overrides: the AP on channel 5 (Spain, 1 MHz), the DCUs, short presence interval. */
export function halowOverrides(localBrokerPort: number, region: string): [string, string | string[]][] {
  return [
    ['region', 'ES'], ['sae_password', 'demo-halow-fleet'], ['mqtt_port', String(localBrokerPort)], ['presence_interval', '5'],
    ['dcus', DEMO_DCUS.map((dcu) => `${dcu.name} ${dcu.mac} ${region} ${dcu.meters}`)], ['regdb_path', '/nonexistent/morse-regdb/channels.csv'],
  ];
}

/** The telemetry rules that turn the DCU presence readings into ThingsBoard alarms. */
export const HALOW_TELEMETRY_RULES = ['halow_present=1:', 'halow_signal_dbm=-70:'];

/** wireless/network/firewall/dhcp of a Morse gateway before smartgrid-halow, and `wifi` in `bin`. */
export function installHalowDevice(configDir: string, binDir: string): void {
  mkdirSync(binDir, { recursive: true });
  writeFileSync(join(configDir, 'wireless'), "config wifi-device 'radio1'\n\toption type 'morse'\n\toption path 'platform/soc/fe300000.mmc/mmc_host/mmc1'\n");
  writeFileSync(join(configDir, 'network'), "config interface 'lan'\n\toption device 'br-lan'\n\toption proto 'static'\n\toption ipaddr '192.168.1.1'\n\toption netmask '255.255.255.0'\n");
  writeFileSync(join(configDir, 'firewall'), "config zone 'lan'\n\toption name 'lan'\n\tlist network 'lan'\n");
  writeFileSync(join(configDir, 'dhcp'), "config dhcp 'lan'\n\toption interface 'lan'\n");
  const wifi = join(binDir, 'wifi');
  writeFileSync(wifi, `#!/bin/sh\necho "$(date +%s) wifi $*" >> "${join(binDir, 'wifi.log')}"\n`);
  chmodSync(wifi, 0o755);
}

export class HalowField {
  readonly hostapd: HostapdUbusStandIn;
  readonly simulator: StationSimulator;
  private timers: NodeJS.Timeout[] = [];

  constructor(ubus: Ubus, private readonly options: { tickS: number; silentAfterS: number; weakAfterS: number }) {
    this.hostapd = new HostapdUbusStandIn(ubus, { ifname: 'wlan0', freq: 5180, bssid: '02:4d:4d:ff:00:01', ssid: 'smartgrid-halow' });
    this.simulator = new StationSimulator(this.hostapd);
  }

  async start(): Promise<void> {
    await this.hostapd.start();
    // The DCUs join once smartgrid-halow follows hostapd (its first poll subscribes).
    const join = setInterval(() => {
      if (!this.hostapd.hasSubscribers) return;
      clearInterval(join);
      void (async () => { for (const dcu of DEMO_DCUS) await this.simulator.join(dcu.mac, dcu.signal); })();
      this.timers.push(setTimeout(() => this.simulator.silence(DEMO_DCUS[2].mac), this.options.silentAfterS * 1000));
      this.timers.push(setTimeout(() => this.simulator.setSignal(DEMO_DCUS[1].mac, -76), this.options.weakAfterS * 1000));
    }, 250);
    this.timers.push(join, setInterval(() => this.simulator.tick(), this.options.tickS * 1000));
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) { clearInterval(timer); clearTimeout(timer); }
    await this.hostapd.stop().catch(() => undefined);
  }
}
