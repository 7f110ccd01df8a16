import type { Logger } from '../../lib/log.js';
import { readResolvAuto } from '../../lib/net/resolv-auto.js';
import type { UbusArgs, Ubus } from '../../lib/ubus/types.js';
import type { Clock } from '../clock.js';
import type { CommandRunner } from '../command.js';
import { roleOf, type DefaultRoute, type Uplink, type UplinkNames } from '../failover/routes.js';
import { deviceAddress } from '../probe/methods.js';
import { checkUplinkDns, type DnsCheck, type DnsLookup } from './dns-check.js';
import { mwan3Present, readMwan3, type Mwan3Interface } from './mwan3.js';
import { PolicyRouting, type UplinkPath } from './policy-routing.js';
import { chooseUplink, type SwitchRecord, type UplinkHealthView } from './selector.js';
import { UplinkTracker, type PingFunction, type TrackingSettings, type UplinkRole, type UplinkTransition } from './tracker.js';

export type UplinkControl = 'auto' | 'ip' | 'mwan3' | 'off';

export interface UplinkManagerOptions {
  names: UplinkNames;
  control: UplinkControl;
  tracking: TrackingSettings;
  /** Between two rounds of the uplink that carries traffic, and of the WAN whenever it is not active. */
  intervalMs: number;
  /** Between two rounds of LTE while it stands by (metered: probed less often). */
  standbyIntervalMs: number;
  failbackHoldMs: number;
  tableBase: number;
  resolvFile: string;
  /** The upstream's host name, checked through each uplink's resolvers; empty: no DNS check. */
  dnsName: string;
  dnsTimeoutMs: number;
  runner: CommandRunner;
  ubus: Ubus;
  clock: Clock;
  log: Logger;
  emit(what: string, data: UbusArgs): void;
  onSwitch(record: SwitchRecord): void;
  ping?: PingFunction;
  dnsLookup?: DnsLookup;
  addressOf?: (device: string) => string | undefined;
}

const ROLES: UplinkRole[] = ['wan', 'lte'];
const SWITCHES_KEPT = 50;
/** Policy routes are checked against the kernel at least this often even when nothing changed here. */
const ROUTES_RECHECK_MS = 10_000;

/**
 * Per-uplink health (own probes, or mwan3's when mwan3 owns the routes), the choice of the uplink that
 * carries the traffic, the policy routes that make it so, and the history of switches with causes.
 */
export class UplinkManager {
  private readonly trackers: Record<UplinkRole, UplinkTracker>;
  private readonly routing: PolicyRouting;
  private controlValue: Exclude<UplinkControl, 'auto'> | undefined;
  private chosen: Uplink = 'none';
  private reason = 'starting';
  private readonly switches: SwitchRecord[] = [];
  private paths: Partial<Record<UplinkRole, UplinkPath>> = {};
  private resolvers = new Map<string, string[]>();
  private readonly dns: Partial<Record<UplinkRole, DnsCheck>> = {};
  private mwan3: Mwan3Interface[] = [];
  private readonly nextRoundAt: Record<UplinkRole, number> = { wan: 0, lte: 0 };
  private readonly signals = new Map<UplinkRole, string>();
  private lastError: string | undefined;
  private applied: { key: string; at: number } | undefined;

  constructor(private readonly options: UplinkManagerOptions) {
    const make = (role: UplinkRole) => new UplinkTracker({ role, settings: options.tracking, runner: options.runner, clock: options.clock, ping: options.ping });
    this.trackers = { wan: make('wan'), lte: make('lte') };
    this.routing = new PolicyRouting(options.runner, options.tableBase);
  }

  get active(): Uplink { return this.chosen; }
  get control(): Exclude<UplinkControl, 'auto'> | undefined { return this.controlValue; }

  /** Settles who owns the routes (mwan3 when installed, under `auto`) and reads what changes slowly. */
  async refresh(): Promise<void> {
    if (!this.controlValue) {
      const control = this.options.control;
      this.controlValue = control === 'auto' ? ((await mwan3Present(this.options.ubus)) ? 'mwan3' : 'ip') : control;
      this.options.log.notice('uplink routes', { control: this.controlValue });
    }
    try {
      this.resolvers = await readResolvAuto(this.options.resolvFile);
      if (this.controlValue === 'mwan3') this.mwan3 = await readMwan3(this.options.ubus);
      this.lastError = undefined;
    } catch (error) {
      this.lastError = (error as Error).message;
    }
  }

  /** Takes the default routes (netifd or kernel), updates every uplink and returns the choice. */
  observeRoutes(routes: DefaultRoute[]): { active: Uplink; wanUp: boolean } {
    const names = this.options.names;
    const usable = routes.filter((route) => route.usable);
    for (const role of ROLES) {
      const route = usable.find((item) => roleOf(item, names) === role);
      this.trackers[role].device = route?.device;
      const known = this.paths[role];
      this.paths[role] = route ? this.pathOf(role, route) : known && { ...known, usable: false };
      // A device without an IPv4 address here (not probed, no policy route) is judged by its route alone.
      if (!route) this.track(this.trackers[role].linkDown('no usable default route'));
    }
    this.choose();
    return { active: this.chosen, wanUp: this.paths.wan?.usable === true && this.health('wan').state !== 'offline' };
  }

  /** Makes the kernel route as chosen (own policy routes; nothing when mwan3 or nobody owns them). */
  async apply(): Promise<void> {
    if (this.controlValue !== 'ip') return;
    const paths = ROLES.flatMap((role) => (this.paths[role] ? [this.paths[role]!] : []));
    const active = this.chosen === 'none' ? undefined : this.chosen;
    const key = JSON.stringify({ paths, active });
    const now = this.options.clock.now();
    if (this.applied?.key === key && now - this.applied.at < ROUTES_RECHECK_MS) return;
    if (!this.applied && !paths.some((path) => path.usable)) return;
    const changes = await this.routing.apply(paths, active);
    this.applied = this.routing.lastError ? undefined : { key, at: now };
    if (changes.length) this.options.log.info('policy routes changed', { changes });
    if (this.routing.lastError) this.options.log.debug('policy routes incomplete', { error: this.routing.lastError });
  }

  /**
   * Runs the probe rounds that are due (own tracking only); true when an uplink changed state. The
   * choice follows at the next observeRoutes, so routes and the forwarder's hint move in one pass.
   */
  async probeDue(): Promise<boolean> {
    if (this.controlValue === 'mwan3') return false;
    const now = this.options.clock.now();
    const due = ROLES.filter((role) => this.paths[role]?.usable && now >= this.nextRoundAt[role]);
    const changed = await Promise.all(due.map((role) => this.probe(role, this.signals.get(role) ?? 'schedule')));
    return changed.includes(true);
  }

  /** A passive sign of trouble (the forwarder lost its session): probe the carrying uplink at once. */
  passiveSignal(reason: string): void {
    if (this.chosen === 'none') return;
    this.options.log.info('passive uplink signal: probing now', { uplink: this.chosen, reason });
    this.nextRoundAt[this.chosen] = 0;
    this.signals.set(this.chosen, reason);
  }

  async stop(): Promise<void> {
    if (this.controlValue === 'ip') await this.routing.clear().catch(() => undefined);
  }

  status(): Record<string, unknown> {
    const uplink = (role: UplinkRole) => {
      const path = this.paths[role];
      const mwan3 = this.mwan3Of(role);
      return {
        ...this.trackers[role].status(), ...this.health(role),
        interface: role === 'wan' ? this.options.names.wanInterface : this.options.names.lteInterface,
        gateway: path?.gateway ?? null, address: path?.address ?? null, resolvers: path?.resolvers ?? [], usable: path?.usable ?? false,
        dns: this.dns[role] ?? null, mwan3: mwan3 ? { ...mwan3 } : null,
      };
    };
    return {
      control: this.controlValue ?? null, active: this.chosen, reason: this.reason, failback_hold_s: this.options.failbackHoldMs / 1000,
      uplinks: { wan: uplink('wan'), lte: uplink('lte') },
      switches: this.switches.map((record) => ({ ...record })), routing_error: this.routing.lastError ?? null, error: this.lastError ?? null,
    };
  }

  private async probe(role: UplinkRole, trigger: string): Promise<boolean> {
    const carrying = role === this.chosen || role === 'wan';
    this.nextRoundAt[role] = Number.POSITIVE_INFINITY;
    this.signals.delete(role);
    try {
      const transition = await this.trackers[role].probe(trigger);
      this.track(transition);
      await this.checkDns(role);
      return transition !== undefined;
    } finally {
      const interval = carrying ? this.options.intervalMs : this.options.standbyIntervalMs;
      if (!this.signals.has(role)) this.nextRoundAt[role] = this.options.clock.now() + interval;
    }
  }

  private async checkDns(role: UplinkRole): Promise<void> {
    const path = this.paths[role];
    if (!this.options.dnsName || !path) return;
    const before = this.dns[role];
    const check = await checkUplinkDns(this.options.dnsName, path.resolvers, path.address, this.options.dnsTimeoutMs, this.options.dnsLookup);
    this.dns[role] = check;
    if (before === undefined ? check.ok : before.ok === check.ok) return;
    const other = this.dns[role === 'wan' ? 'lte' : 'wan'];
    const fault = !check.ok && other?.ok === true;
    this.options.emit('uplink.dns', { uplink: role, ok: check.ok, name: this.options.dnsName, servers: check.servers, error: check.error ?? '', fault });
    if (fault) this.options.log.warn(`${role} resolvers fail for the upstream name while the other uplink's answer`, { name: this.options.dnsName, error: check.error });
  }

  private health(role: UplinkRole): UplinkHealthView {
    const tracker = this.trackers[role];
    if (this.controlValue !== 'mwan3') return { state: tracker.state, since: tracker.since, cause: tracker.cause };
    const mwan3 = this.mwan3Of(role);
    const state = mwan3?.status === 'online' ? 'online' : mwan3 && mwan3.status !== 'unknown' ? 'offline' : 'unknown';
    return { state, since: tracker.since, cause: mwan3 ? `mwan3: ${mwan3.status}` : 'mwan3 does not track it' };
  }

  private mwan3Of(role: UplinkRole): Mwan3Interface | undefined {
    const name = role === 'wan' ? this.options.names.wanInterface : this.options.names.lteInterface;
    return this.mwan3.find((item) => item.name === name);
  }

  private choose(): void {
    const now = this.options.clock.now();
    const failbackHold = this.controlValue === 'mwan3' ? 0 : this.options.failbackHoldMs;
    const choice = chooseUplink(this.chosen, this.health('wan'), this.health('lte'), now, failbackHold);
    this.reason = choice.reason;
    if (choice.uplink === this.chosen) return;
    const record: SwitchRecord = { at: now, from: this.chosen, to: choice.uplink, cause: choice.reason };
    this.chosen = choice.uplink;
    if (record.from === 'none') return;
    this.switches.push(record);
    if (this.switches.length > SWITCHES_KEPT) this.switches.shift();
    this.options.log.notice('uplink switch', { ...record });
    this.options.emit('uplink.switch', { ...record });
    this.options.onSwitch(record);
  }

  private track(transition: UplinkTransition | undefined): void {
    if (!transition) return;
    this.options.log.notice(`${transition.role} ${transition.to}`, { ...transition });
    this.options.emit('uplink.state', { uplink: transition.role, from: transition.from, to: transition.to, cause: transition.cause, at: transition.at });
  }

  private pathOf(role: UplinkRole, route: DefaultRoute): UplinkPath {
    const names = this.options.names;
    const interfaceName = role === 'wan' ? names.wanInterface : names.lteInterface;
    const address = (this.options.addressOf ?? deviceAddress)(route.device);
    return { role, device: route.device, gateway: route.gateway, address, resolvers: this.resolvers.get(interfaceName) ?? [], usable: address !== undefined };
  }
}
