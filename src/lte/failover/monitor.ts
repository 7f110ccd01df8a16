import type { Logger } from '../../lib/log.js';
import type { Ubus } from '../../lib/ubus/types.js';
import type { Clock } from '../clock.js';
import { describeFailure, type CommandRunner } from '../command.js';
import { activeUplink, parseInterfaceDump, parseIpRoutes, type DefaultRoute, type Uplink, type UplinkNames } from './routes.js';

export interface FailoverEvent {
  kind: 'failover' | 'failback';
  from: Uplink;
  to: Uplink;
  /** When the change was seen. */
  at: number;
  /** Upper bound of detection latency: time since the previous look that still showed the old state. */
  detection_window_ms: number;
  /** Time from losing (failover) or regaining (failback) the primary until traffic runs on the new uplink. */
  switch_ms: number;
  /** Time spent on LTE (failback only). */
  outage_ms?: number;
}

export interface FailoverOptions {
  source: 'ubus' | 'ip';
  names: UplinkNames;
  runner: CommandRunner;
  ubus: Ubus;
  clock: Clock;
  log: Logger;
  onEvent(event: FailoverEvent): void;
  /** Which uplink carries traffic, given the default routes; default: the usable route with the lowest metric. */
  choose?(routes: DefaultRoute[]): { active: Uplink; wanUp: boolean };
}

/** Watches which uplink carries the default route and times every switch between WAN and LTE. */
export class FailoverMonitor {
  private activeValue: Uplink = 'none';
  private lastLookAt: number | undefined;
  private primaryLostAt: number | undefined;
  private lteSince: number | undefined;
  private readonly events: FailoverEvent[] = [];
  private lastError: string | undefined;
  private routes: DefaultRoute[] = [];

  constructor(private readonly options: FailoverOptions) {}

  get active(): Uplink { return this.activeValue; }

  status(): Record<string, unknown> {
    const last = (kind: FailoverEvent['kind']) => [...this.events].reverse().find((event) => event.kind === kind);
    return {
      active_uplink: this.activeValue,
      on_lte_since: this.lteSince,
      routes: this.routes.map((route) => ({ ...route })),
      last_failover: last('failover'),
      last_failback: last('failback'),
      failovers: this.events.filter((event) => event.kind === 'failover').length,
      error: this.lastError,
    };
  }

  async look(): Promise<Uplink> {
    const now = this.options.clock.now();
    try {
      this.routes = await this.readRoutes();
      this.lastError = undefined;
    } catch (error) {
      this.lastError = (error as Error).message;
      this.options.log.debug('cannot read routes', { error: this.lastError });
      return this.activeValue;
    }
    const { active, wanUp } = this.options.choose?.(this.routes) ?? activeUplink(this.routes, this.options.names);
    const previous = this.activeValue;
    const window = this.lastLookAt === undefined ? 0 : now - this.lastLookAt;
    this.lastLookAt = now;
    if (!wanUp && this.primaryLostAt === undefined && previous === 'wan') this.primaryLostAt = now;
    if (active === previous) return active;
    this.activeValue = active;
    if (previous === 'wan' && active === 'lte') {
      this.lteSince = now;
      this.emit({ kind: 'failover', from: previous, to: active, at: now, detection_window_ms: window, switch_ms: now - (this.primaryLostAt ?? now) });
    } else if (previous === 'lte' && active === 'wan') {
      this.emit({ kind: 'failback', from: previous, to: active, at: now, detection_window_ms: window, switch_ms: 0, outage_ms: now - (this.primaryLostAt ?? this.lteSince ?? now) });
      this.lteSince = undefined;
    } else {
      if (active === 'lte') this.lteSince = now;
      this.options.log.info('uplink changed', { from: previous, to: active });
    }
    if (active === 'wan') this.primaryLostAt = undefined;
    return active;
  }

  private emit(event: FailoverEvent): void {
    this.events.push(event);
    if (this.events.length > 50) this.events.shift();
    this.options.log.notice(event.kind, { ...event });
    this.options.onEvent(event);
  }

  private async readRoutes(): Promise<DefaultRoute[]> {
    if (this.options.source === 'ubus') return parseInterfaceDump(await this.options.ubus.call('network.interface', 'dump', {}));
    const result = await this.options.runner.run('ip', ['-j', '-4', 'route', 'show', 'default'], { timeoutMs: 3000 });
    if (result.code !== 0) throw new Error(`ip route: ${describeFailure(result)}`);
    return parseIpRoutes(result.stdout);
  }
}
