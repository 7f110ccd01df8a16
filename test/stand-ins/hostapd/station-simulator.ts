// DCUs on the HaLow BSS: they join, send a heartbeat every tick, go silent (associated but no
// traffic), leave, come back, and weaken or recover.
import type { HostapdUbusStandIn } from './ubus-object.js';

export interface SimulatedDcu {
  mac: string;
  signal: number;
  /** Associated but sending nothing. */
  silent: boolean;
}

export class StationSimulator {
  readonly dcus = new Map<string, SimulatedDcu>();

  constructor(private readonly hostapd: HostapdUbusStandIn) {}

  async join(mac: string, signal = -60): Promise<void> {
    this.dcus.set(mac, { mac, signal, silent: false });
    await this.hostapd.join(mac, signal);
  }

  async leave(mac: string): Promise<void> {
    this.dcus.delete(mac);
    await this.hostapd.leave(mac);
  }

  silence(mac: string, silent = true): void {
    const dcu = this.dcus.get(mac);
    if (dcu) dcu.silent = silent;
  }

  setSignal(mac: string, signal: number): void {
    const dcu = this.dcus.get(mac);
    if (dcu) dcu.signal = signal;
  }

  /** One heartbeat round: every DCU that is not silent sends a frame and gets one back. */
  tick(): void {
    for (const dcu of this.dcus.values()) {
      const station = this.hostapd.stations.get(dcu.mac);
      if (!station) continue;
      station.signal = dcu.signal;
      if (dcu.silent) continue;
      station.rxPackets += 1;
      station.rxBytes += 180;
      station.txPackets += 1;
      station.txBytes += 60;
    }
  }
}
