// One debounced, idempotent apply: requests within `delayMs` of each other become one apply; an
// apply writes only the difference (uci batch per config, committed) and reloads only what changed,
// so the same input twice writes nothing and issues no `wifi reload`.
import type { Logger } from '../../lib/log.js';
import type { UciWriter } from '../../lib/uci/writer.js';
import type { Clock } from '../../lte/clock.js';
import { describeFailure, type CommandRunner } from '../../lte/command.js';
import type { PlanIssue } from '../plan/validate.js';
import { diffProfile, type ProfileDiff } from '../render/diff.js';
import type { RenderedConfig, RenderedProfile } from '../render/types.js';
import { reloadCommands } from './reloads.js';
import { readRenderedConfigs } from './uci-state.js';

export type ProfileSource = () => { ok: true; profile: RenderedProfile } | { ok: false; issues: PlanIssue[] };

export interface ApplyResult {
  /** ms since the epoch when the apply finished. */
  at: number;
  result: 'applied' | 'unchanged' | 'refused' | 'failed';
  changes: string[];
  reloads: string[];
  issues: PlanIssue[];
  error?: string;
  /** Time from the (first) request to the reload being issued, ms. */
  latency_ms: number;
}

export interface ApplierOptions {
  configDir: string;
  writer: UciWriter;
  runner: CommandRunner;
  clock: Clock;
  log: Logger;
  delayMs: number;
  source: ProfileSource;
}

const PROVIDER: Readonly<Record<string, string>> = { mesh11sd: 'mesh11sd', prplmesh: 'prplmesh', dhcp: 'dnsmasq', firewall: 'firewall4' };

function missingText(configs: readonly string[]): string {
  return configs.map((config) => `/etc/config/${config} does not exist${PROVIDER[config] ? ` (install ${PROVIDER[config]})` : ''}`).join('; ');
}

export class ProfileApplier {
  private timer: unknown;
  private waiting: Array<(result: ApplyResult) => void> = [];
  private firstRequestAt = 0;
  private chain: Promise<unknown> = Promise.resolve();
  last: ApplyResult | undefined;

  constructor(private readonly options: ApplierOptions) {}

  /** Schedules an apply (coalescing with pending requests) and resolves with its result. */
  request(): Promise<ApplyResult> {
    const { clock, delayMs } = this.options;
    if (this.timer === undefined) this.firstRequestAt = clock.now();
    else clock.clearTimeout(this.timer);
    this.timer = clock.setTimeout(() => this.fire(), delayMs);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** What an apply would change now, without writing anything. */
  async dryRun(): Promise<{ ok: true; diff: ProfileDiff } | { ok: false; issues: PlanIssue[] }> {
    const source = this.options.source();
    if (!source.ok) return source;
    return { ok: true, diff: diffProfile(await readRenderedConfigs(this.options.configDir), source.profile) };
  }

  /** Waits for a running apply; pending requests are dropped. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  private fire(): void {
    this.timer = undefined;
    const waiting = this.waiting;
    const startedAt = this.firstRequestAt;
    this.waiting = [];
    this.chain = this.chain.then(async () => {
      const result = await this.applyNow(startedAt);
      this.last = result;
      for (const resolve of waiting) resolve(result);
    });
  }

  private async applyNow(startedAt: number): Promise<ApplyResult> {
    const { clock, log } = this.options;
    const done = (result: Omit<ApplyResult, 'at' | 'latency_ms'>): ApplyResult => ({ ...result, at: clock.now(), latency_ms: clock.now() - startedAt });
    const source = this.options.source();
    if (!source.ok) return done({ result: 'refused', changes: [], reloads: [], issues: source.issues });
    let diff: ProfileDiff;
    try {
      diff = diffProfile(await readRenderedConfigs(this.options.configDir), source.profile);
      if (diff.missing.length > 0) throw new Error(missingText(diff.missing));
      for (const [config, changes] of diff.changes) await this.options.writer.apply(config, changes);
    } catch (error) {
      log.error('apply failed', { error: (error as Error).message });
      return done({ result: 'failed', changes: [], reloads: [], issues: [], error: (error as Error).message });
    }
    if (diff.lines.length === 0) return done({ result: 'unchanged', changes: [], reloads: [], issues: [] });
    const reloads = reloadCommands(new Set(diff.changes.keys()) as Set<RenderedConfig>);
    const result = done({ result: 'applied', changes: diff.lines, reloads: reloads.map((command) => command.join(' ')), issues: [] });
    for (const [command, ...args] of reloads) {
      const run = await this.options.runner.run(command!, args);
      if (run.code !== 0) {
        log.error(`${command} ${args.join(' ')} failed`, { error: describeFailure(run) });
        return { ...result, result: 'failed', error: `${command} ${args.join(' ')}: ${describeFailure(run)}` };
      }
    }
    log.notice('HaLow profile applied', { changes: diff.lines.length, reloads: result.reloads.join('; ') });
    return result;
  }
}
