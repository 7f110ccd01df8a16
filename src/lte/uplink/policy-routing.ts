import { describeFailure, type CommandRunner } from '../command.js';
import type { UplinkRole } from './tracker.js';

/** What the routing layer needs to know about one uplink. */
export interface UplinkPath {
  role: UplinkRole;
  device: string;
  gateway?: string;
  /** The gateway's IPv4 address on this uplink (the source a socket bound to it uses). */
  address?: string;
  /** This uplink's DNS servers, reached through it. */
  resolvers: string[];
  /** False while the uplink has no usable default route (link down): its table then only refuses. */
  usable: boolean;
}

interface RuleSpec { priority: number; src?: string; dst?: string; table: string; suppressPrefixLength?: number }
interface RouteSpec { table: number; device?: string; gateway?: string }

const ROLE_OFFSET: Record<UplinkRole, number> = { wan: 1, lte: 2 };
/** Below any real default route. */
const REFUSE_METRIC = 4_000_000_000;

/**
 * Switching without mwan3, by policy routing in tables and rule priorities of our own (netifd owns the
 * main table and leaves these alone):
 *   base+0 rule `lookup main suppress_prefixlength 0`: every route of the main table except its default;
 *   base+1 rules `from <uplink address> lookup base+role`: a socket bound to an uplink's address leaves
 *          through that uplink (probes and sessions opened there stay there);
 *   base+2 rules `to <uplink resolver> lookup base+role`: each uplink's DNS is asked through it;
 *   base+9 rule `lookup base`: everything else takes the default route of the chosen uplink.
 * Tables base+1 (wan) and base+2 (lte) hold each uplink's default route and, below it, an unreachable
 * default: while an uplink is down, what is bound to its address fails instead of leaving through the
 * other uplink (as mwan3's unreachable rules do). Table base holds the chosen uplink's default route.
 */
export class PolicyRouting {
  lastError: string | undefined;

  constructor(private readonly runner: CommandRunner, private readonly base: number) {}

  /** Brings rules and tables to what `paths` and `active` call for; changes only what differs. */
  async apply(paths: UplinkPath[], active: UplinkRole | undefined): Promise<string[]> {
    const changes: string[] = [];
    const errors: string[] = [];
    const routes = this.wantedRoutes(paths, active);
    for (const table of [this.base, this.base + 1, this.base + 2]) {
      const known = table === this.base ? active !== undefined : paths.some((path) => this.base + ROLE_OFFSET[path.role] === table);
      await this.syncTable(table, routes.find((route) => route.table === table), known && table !== this.base, changes, errors);
    }
    await this.syncRules(this.wantedRules(paths), changes, errors);
    this.lastError = errors.length ? errors.join('; ') : undefined;
    return changes;
  }

  /** Removes every rule and route of ours: plain metric routing again. */
  async clear(): Promise<void> {
    await this.apply([], undefined);
  }

  private wantedRoutes(paths: UplinkPath[], active: UplinkRole | undefined): RouteSpec[] {
    const routes: RouteSpec[] = paths.filter((path) => path.usable).map((path) => ({ table: this.base + ROLE_OFFSET[path.role], device: path.device, gateway: path.gateway }));
    const chosen = paths.find((path) => path.role === active && path.usable);
    if (chosen) routes.push({ table: this.base, device: chosen.device, gateway: chosen.gateway });
    return routes;
  }

  private wantedRules(paths: UplinkPath[]): RuleSpec[] {
    const rules: RuleSpec[] = [{ priority: this.base, table: 'main', suppressPrefixLength: 0 }];
    for (const path of paths) {
      const table = String(this.base + ROLE_OFFSET[path.role]);
      if (path.address) rules.push({ priority: this.base + 1, src: path.address, table });
      for (const resolver of path.resolvers) rules.push({ priority: this.base + 2, dst: resolver, table });
    }
    rules.push({ priority: this.base + 9, table: String(this.base) });
    return paths.length ? rules : [];
  }

  private async syncTable(table: number, wanted: RouteSpec | undefined, refuse: boolean, changes: string[], errors: string[]): Promise<void> {
    const result = await this.runner.run('ip', ['-j', '-4', 'route', 'show', 'table', String(table)], { timeoutMs: 3000 });
    const current = result.code === 0 ? parseDefaults(result.stdout) : { refusing: false };
    const id = String(table);
    if (refuse && !current.refusing) await this.change(['route', 'replace', 'unreachable', 'default', 'metric', String(REFUSE_METRIC), 'table', id], changes, errors);
    if (!refuse && current.refusing) await this.change(['route', 'del', 'unreachable', 'default', 'metric', String(REFUSE_METRIC), 'table', id], changes, errors);
    const route = current.route;
    if (wanted?.device && route && route.device === wanted.device && route.gateway === wanted.gateway) return;
    if (!wanted?.device) {
      if (route) await this.change(['route', 'del', 'default', 'dev', route.device, 'table', id], changes, errors);
      return;
    }
    const via = wanted.gateway ? ['via', wanted.gateway] : [];
    await this.change(['route', 'replace', 'default', ...via, 'dev', wanted.device, 'table', id], changes, errors);
  }

  private async syncRules(wanted: RuleSpec[], changes: string[], errors: string[]): Promise<void> {
    const current = await this.readRules();
    const key = (rule: RuleSpec) => ruleArgs(rule).join(' ');
    const wantedKeys = new Set(wanted.map(key));
    const currentKeys = new Set(current.map(key));
    for (const rule of current) if (!wantedKeys.has(key(rule))) await this.change(['rule', 'del', ...ruleArgs(rule)], changes, errors);
    for (const rule of wanted) if (!currentKeys.has(key(rule))) await this.change(['rule', 'add', ...ruleArgs(rule)], changes, errors);
  }

  private async readRules(): Promise<RuleSpec[]> {
    const result = await this.runner.run('ip', ['-j', '-4', 'rule', 'show'], { timeoutMs: 3000 });
    if (result.code !== 0) throw new Error(`ip rule show: ${describeFailure(result)}`);
    const items = JSON.parse(result.stdout.trim() || '[]') as Array<Record<string, unknown>>;
    return items
      .filter((item) => typeof item.priority === 'number' && item.priority >= this.base && item.priority <= this.base + 9)
      .map((item) => ({
        priority: item.priority as number, table: String(item.table),
        src: item.src === 'all' || item.src === undefined ? undefined : String(item.src),
        dst: item.dst === undefined ? undefined : String(item.dst),
        suppressPrefixLength: typeof item.suppress_prefixlen === 'number' ? item.suppress_prefixlen : undefined,
      }));
  }

  private async change(args: string[], changes: string[], errors: string[]): Promise<void> {
    const failure = await this.ip(args);
    if (failure) errors.push(`ip ${args.join(' ')}: ${failure}`);
    else changes.push(args.join(' '));
  }

  private async ip(args: string[]): Promise<string | undefined> {
    const result = await this.runner.run('ip', ['-4', ...args], { timeoutMs: 3000 });
    return result.code === 0 ? undefined : describeFailure(result);
  }
}

function ruleArgs(rule: RuleSpec): string[] {
  const args = ['pref', String(rule.priority)];
  if (rule.src) args.push('from', rule.src);
  if (rule.dst) args.push('to', rule.dst);
  args.push('lookup', rule.table);
  if (rule.suppressPrefixLength !== undefined) args.push('suppress_prefixlength', String(rule.suppressPrefixLength));
  return args;
}

/** The default route through a device, and whether the unreachable fallback is there. */
function parseDefaults(text: string): { route?: { device: string; gateway?: string }; refusing: boolean } {
  let items: Array<Record<string, unknown>>;
  try { items = JSON.parse(text.trim() || '[]') as Array<Record<string, unknown>>; } catch { return { refusing: false }; }
  if (!Array.isArray(items)) return { refusing: false };
  const route = items.find((item) => item.dst === 'default' && typeof item.dev === 'string');
  return {
    route: route ? { device: route.dev as string, gateway: typeof route.gateway === 'string' ? route.gateway : undefined } : undefined,
    refusing: items.some((item) => item.dst === 'default' && item.type === 'unreachable'),
  };
}
