// The DCU watch: polls hostapd every interval, follows its notifications, keeps presence and
// signal per DCU, and reports each change as a ubus event, a retained MQTT state and a reading.
import type { Logger } from '../../lib/log.js';
import type { Ubus, UbusArgs } from '../../lib/ubus/types.js';
import type { Clock } from '../../lte/clock.js';
import type { StationSample } from '../hostapd/clients.js';
import type { HostapdCtrl, CtrlStation } from '../hostapd/ctrl.js';
import { StationMonitor, type StationNotification } from '../hostapd/monitor.js';
import type { Dcu } from './inventory.js';
import { PresencePublisher, type PresencePublisherOptions } from './publisher.js';
import { PresenceTracker, type DcuState, type PresenceChange, type PresenceOptions } from './tracker.js';

export interface DcuWatchOptions extends PresenceOptions {
  ubus: Ubus;
  ifname: string;
  dcus: readonly Dcu[];
  clock: Clock;
  log: Logger;
  /** `smartgrid.halow.<what>` ubus events. */
  emit(what: string, data: UbusArgs): void;
  mqtt: Omit<PresencePublisherOptions, 'log'>;
  /** hostapd's control socket, when configured: inactivity and connected time per station. */
  ctrl?: HostapdCtrl;
}

function eventOf(state: DcuState): UbusArgs {
  return { name: state.name, mac: state.mac, site: state.site, presence: state.presence, signal: state.signal, signal_class: state.signal_class, weak_signal: state.weak_alarm };
}

export class DcuWatch {
  readonly tracker: PresenceTracker;
  private readonly monitor: StationMonitor;
  private readonly publisher: PresencePublisher;
  private timer: unknown;
  private running = false;
  private stations: StationSample[] = [];
  private ctrlStations = new Map<string, CtrlStation>();
  /** Whether the last round reached hostapd's control socket. */
  ctrlReachable = false;
  private readonly announcedUnknown = new Set<string>();

  constructor(private readonly options: DcuWatchOptions) {
    this.tracker = new PresenceTracker(options.dcus, options);
    this.monitor = new StationMonitor({ ubus: options.ubus, ifname: options.ifname, log: options.log, onNotification: (type, mac, data) => this.notified(type, mac, data) });
    this.publisher = new PresencePublisher({ ...options.mqtt, log: options.log.child('mqtt') });
  }

  async start(): Promise<void> {
    this.running = true;
    // Nothing to report without an inventory: no broker connection either.
    if (this.options.dcus.length > 0) this.publisher.start();
    await this.round();
    const now = this.options.clock.now();
    for (const state of this.tracker.all()) this.publisher.publish(state, now, false);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    await this.monitor.stop();
    await this.publisher.stop();
  }

  get hostapdReachable(): boolean { return this.monitor.reachable; }
  get brokerConnected(): boolean { return this.publisher.connected; }
  get currentStations(): readonly StationSample[] { return this.stations; }
  controlData(mac: string): CtrlStation | undefined { return this.ctrlStations.get(mac); }

  private notified(type: StationNotification, mac: string, data: UbusArgs): void {
    const now = this.options.clock.now();
    if (type === 'assoc' || type === 'auth') this.tracker.heardNow(mac, now);
    this.options.emit(`station.${type}`, { mac, signal: typeof data.signal === 'number' ? data.signal : null, known: this.options.dcus.some((dcu) => dcu.mac === mac) });
    if (type === 'assoc' || type === 'disassoc' || type === 'deauth') this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = this.options.clock.setTimeout(() => { this.timer = undefined; void this.round(); }, delayMs);
  }

  /** One poll: stations in, presence evaluated, changes out, next poll scheduled. */
  async round(): Promise<void> {
    const now = this.options.clock.now();
    const samples = await this.monitor.poll();
    if (samples) {
      this.stations = samples;
      this.tracker.observe(samples, now);
    }
    await this.readControlSocket();
    const changes = this.tracker.evaluate(now);
    for (const change of changes) this.report(change, now);
    this.announceUnknown();
    this.schedule(this.options.intervalMs);
  }

  private async readControlSocket(): Promise<void> {
    if (!this.options.ctrl) return;
    try {
      this.ctrlStations = new Map((await this.options.ctrl.allStations()).map((station) => [station.mac, station]));
      this.ctrlReachable = true;
    } catch {
      this.ctrlStations = new Map();
      this.ctrlReachable = false;
    }
  }

  private report(change: PresenceChange, now: number): void {
    if (change.kind === 'presence') {
      this.options.log.notice(`DCU ${change.dcu.name} ${change.from} -> ${change.dcu.presence}`);
      this.options.emit('dcu.presence', { ...eventOf(change.dcu), from: change.from });
    } else {
      this.options.log.warn(`DCU ${change.dcu.name} weak-signal alarm ${change.alarm ? 'raised' : 'cleared'}`, { signal: change.dcu.signal });
      this.options.emit('dcu.signal', { ...eventOf(change.dcu), alarm: change.alarm });
    }
    this.publisher.publish(change.dcu, now, true);
  }

  private announceUnknown(): void {
    for (const station of this.tracker.unknownStations()) {
      if (this.announcedUnknown.has(station.mac)) continue;
      this.announcedUnknown.add(station.mac);
      this.options.log.warn(`unknown station ${station.mac} on the HaLow BSS`);
      this.options.emit('station.unknown', { mac: station.mac, signal: station.signal });
    }
  }
}
