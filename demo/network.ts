import type { Ubus, PublishedObject } from '../src/lib/ubus/types.js';

/**
 * netifd as the LTE watchdog sees it: `network.interface dump` with the WAN (metric 10) and LTE
 * (metric 20) default routes, and `network.interface.<name>` up/down.
 */
export class SimulatedNetwork {
  private wanUp = true;
  private readonly objects: PublishedObject[] = [];
  readonly since = { wan: Date.now() };

  constructor(private readonly ubus: Ubus, private readonly lteOnline: () => boolean, private readonly onIfaceUp: (name: string) => void) {}

  setWan(up: boolean): void {
    this.wanUp = up;
    this.since.wan = Date.now();
  }

  get wan(): boolean {
    return this.wanUp;
  }

  dump(): Record<string, unknown> {
    const iface = (name: string, device: string, up: boolean, metric: number, gateway: string) => ({
      interface: name, up, pending: false, available: true, autostart: true, proto: name === 'wwan' ? 'modemmanager' : 'dhcp',
      l3_device: device, device, metric, uptime: up ? 600 : 0,
      route: up ? [{ target: '0.0.0.0', mask: 0, nexthop: gateway, source: '0.0.0.0/0' }] : [],
    });
    return {
      interface: [
        iface('wan', 'eth1', this.wanUp, 10, '192.168.1.1'),
        iface('wwan', 'wwan0', this.lteOnline(), 20, '10.148.20.8'),
      ],
    };
  }

  async publish(): Promise<void> {
    this.objects.push(await this.ubus.publish('network.interface', { dump: { handler: () => this.dump() } }));
    for (const name of ['wan', 'wwan']) {
      this.objects.push(await this.ubus.publish(`network.interface.${name}`, {
        up: { handler: () => { if (name === 'wan') this.setWan(true); else this.onIfaceUp(name); return {}; } },
        down: { handler: () => { if (name === 'wan') this.setWan(false); return {}; } },
        status: { handler: () => (this.dump().interface as Record<string, unknown>[]).find((entry) => entry.interface === name) ?? {} },
      }));
    }
  }

  async close(): Promise<void> {
    for (const object of this.objects) await object.remove().catch(() => undefined);
  }
}
