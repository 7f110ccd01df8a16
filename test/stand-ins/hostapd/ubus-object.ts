// Stand-in for OpenWrt hostapd's ubus object `hostapd.<ifname>` (package/network/services/hostapd/
// src/src/ap/ubus.c): `get_clients` with its reply shape (freq, clients{mac: flags, rrm,
// extended_capabilities, aid, bytes, airtime, packets, rate (kbit/s), signal}), `get_status`,
// `del_client`, and the notifications ubus.c sends to subscribers: `auth` / `assoc` (address, signal,
// freq) from hostapd_ubus_handle_event and `disassoc` / `deauth` (address, bssid, iface) from
// hostapd_ubus_notify.
import type { PublishedObject, Ubus, UbusArgs } from '../../../src/lib/ubus/types.js';
import { UBUS_STATUS, UbusError } from '../../../src/lib/ubus/types.js';

export interface SimulatedStation {
  mac: string;
  signal: number;
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
  /** kbit/s, as ubus.c reports (driver rate x 100). */
  rxRate: number;
  txRate: number;
  aid: number;
  authorized: boolean;
  mfp: boolean;
}

export interface HostapdStandInOptions {
  ifname: string;
  /** iface->freq: for S1G the 5 GHz shim frequency the Morse driver registers. */
  freq: number;
  bssid: string;
  ssid: string;
}

export class HostapdUbusStandIn {
  readonly stations = new Map<string, SimulatedStation>();
  private object: (PublishedObject & { readonly hasSubscribers?: boolean }) | undefined;
  private nextAid = 1;

  constructor(private readonly ubus: Ubus, private readonly options: HostapdStandInOptions) {}

  get path(): string {
    return `hostapd.${this.options.ifname}`;
  }

  /** Someone (smartgrid-halow) subscribed to the notifications. */
  get hasSubscribers(): boolean {
    return this.object?.hasSubscribers ?? false;
  }

  async start(): Promise<void> {
    this.object = await this.ubus.publish(this.path, {
      get_clients: { handler: () => this.clientsReply() },
      get_status: { handler: () => ({ status: 'ENABLED', bssid: this.options.bssid, ssid: this.options.ssid, freq: this.options.freq, channel: 0, op_class: 0, beacon_interval: 100, phy: 'phy0' }) },
      del_client: {
        signature: { addr: 'string', reason: 'int32', deauth: 'int8', ban_time: 'int32' },
        handler: async (args) => {
          if (typeof args.addr !== 'string') throw new UbusError(UBUS_STATUS.INVALID_ARGUMENT, 'addr');
          if (this.stations.has(args.addr)) await this.leave(args.addr, args.deauth ? 'deauth' : 'disassoc');
        },
      },
    });
  }

  async stop(): Promise<void> {
    await this.object?.remove();
  }

  /** A station authenticates, associates and completes SAE (4-way handshake: authorized, MFP). */
  async join(mac: string, signal: number): Promise<SimulatedStation> {
    const station: SimulatedStation = { mac, signal, rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, rxRate: 150, txRate: 150, aid: this.nextAid++, authorized: true, mfp: true };
    await this.notify('auth', { address: mac, signal, freq: this.options.freq });
    this.stations.set(mac, station);
    await this.notify('assoc', { address: mac, signal, freq: this.options.freq });
    return station;
  }

  async leave(mac: string, how: 'disassoc' | 'deauth' = 'disassoc'): Promise<void> {
    this.stations.delete(mac);
    await this.notify(how, { address: mac, bssid: this.options.bssid, iface: this.options.ifname });
  }

  private async notify(type: string, data: UbusArgs): Promise<void> {
    await this.object?.notify(type, data);
  }

  private clientsReply(): UbusArgs {
    const clients: Record<string, UbusArgs> = {};
    for (const station of this.stations.values()) {
      clients[station.mac] = {
        auth: true, assoc: true, authorized: station.authorized, preauth: false, wds: false, wmm: true, ht: false, vht: false, he: false, wps: false, mfp: station.mfp,
        rrm: [0, 0, 0, 0, 0],
        extended_capabilities: [],
        aid: station.aid,
        bytes: { rx: station.rxBytes, tx: station.txBytes },
        airtime: { rx: 0, tx: 0 },
        packets: { rx: station.rxPackets, tx: station.txPackets },
        rate: { rx: station.rxRate, tx: station.txRate },
        signal: station.signal,
      };
    }
    return { freq: this.options.freq, clients };
  }
}
