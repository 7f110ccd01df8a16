// Follows hostapd.<ifname> on ubus: notifications (auth, assoc, disassoc, deauth) as they come,
// and `get_clients` on every poll. hostapd comes and goes with `wifi reload`: the subscription is
// retried on every poll until it holds.
import type { Logger } from '../../lib/log.js';
import type { Subscription, Ubus, UbusArgs } from '../../lib/ubus/types.js';
import { parseClients, type StationSample } from './clients.js';

export const STATION_NOTIFICATIONS = ['auth', 'assoc', 'disassoc', 'deauth'] as const;
export type StationNotification = (typeof STATION_NOTIFICATIONS)[number];

export interface StationMonitorOptions {
  ubus: Ubus;
  ifname: string;
  log: Logger;
  onNotification(type: StationNotification, mac: string, data: UbusArgs): void;
}

export class StationMonitor {
  private subscription: Subscription | undefined;
  /** Whether the last poll reached hostapd. */
  reachable = false;
  lastError: string | undefined;

  constructor(private readonly options: StationMonitorOptions) {}

  get object(): string {
    return `hostapd.${this.options.ifname}`;
  }

  /** The stations hostapd knows now, or undefined when hostapd is not on the bus. */
  async poll(): Promise<StationSample[] | undefined> {
    await this.ensureSubscribed();
    try {
      const samples = parseClients(await this.options.ubus.call(this.object, 'get_clients', {}));
      this.reachable = true;
      this.lastError = undefined;
      return samples;
    } catch (error) {
      if (this.reachable) this.options.log.warn(`${this.object} unreachable`, { error: (error as Error).message });
      this.reachable = false;
      this.lastError = (error as Error).message;
      this.dropSubscription();
      return undefined;
    }
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe().catch(() => undefined);
    this.subscription = undefined;
  }

  private dropSubscription(): void {
    void this.subscription?.unsubscribe().catch(() => undefined);
    this.subscription = undefined;
  }

  private async ensureSubscribed(): Promise<void> {
    if (this.subscription) return;
    try {
      this.subscription = await this.options.ubus.subscribe(this.object, (type, data) => {
        const mac = typeof data.address === 'string' ? data.address.toLowerCase() : undefined;
        if (mac && (STATION_NOTIFICATIONS as readonly string[]).includes(type)) this.options.onNotification(type as StationNotification, mac, data);
      });
    } catch {
      this.subscription = undefined;
    }
  }
}
