// One debounced, idempotent apply: requests within `delayMs` of each other become one apply; an
// apply writes only the difference (uci batch per config, committed) and reloads only what changed,
// so the same input twice writes nothing and issues no `wifi reload`.
import type { Logger } from '../../lib/log.js';
import type { UciChange, UciWriter } from '../../lib/uci/writer.js';
import type { Clock } from '../../lte/clock.js';
import { describeFailure, type CommandRunner } from '../../lte/command.js';
import type { PlanIssue } from '../plan/validate.js';
import { diffProfile, type ProfileDiff } from '../render/diff.js';
import type { RenderedConfig, RenderedProfile } from '../render/types.js';
import { reloadCommands } from './reloads.js';
import { undoChanges } from './undo.js';
import { readRenderedConfigs } from './uci-state.js';

export type ProfileSource = () => { ok: true; profile: RenderedProfile } | { ok: false; issues: PlanIssue[] };

export interface ApplyResult {
  /** ms since the epoch when the apply finished. */
  at: number;
  result: 'applied' | 'unchanged' | 'refused' | 'failed' | 'rolled-back';
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
  /** Undo of the last apply, armed until `confirm` (LuCI's apply/confirm/rollback). */
  private pendingUndo: { changes: Map<RenderedConfig, UciChange[]>; timer: unknown } | undefined;
  private rollbackMs = 0;

  constructor(private readonly options: ApplierOptions) {}

  /**
   * Schedules an apply (coalescing with pending requests) and resolves with its result. With
   * `rollbackMs`, the apply is undone (and reloaded again) unless `confirm` arrives in time.
   */
  request(rollbackMs = 0): Promise<ApplyResult> {
    const { clock, delayMs } = this.options;
    this.rollbackMs = Math.max(this.rollbackMs, rollbackMs);
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

  /** Keeps the last apply; false when there was nothing waiting for a confirmation. */
  confirm(): boolean {
    if (!this.pendingUndo) return false;
    this.options.clock.clearTimeout(this.pendingUndo.timer);
    this.pendingUndo = undefined;
    return true;
  }

  get awaitingConfirm(): boolean {
    return this.pendingUndo !== undefined;
  }

  private fire(): void {
    this.timer = undefined;
    const rollbackMs = this.rollbackMs;
    this.rollbackMs = 0;
    const waiting = this.waiting;
    const startedAt = this.firstRequestAt;
    this.waiting = [];
    this.chain = this.chain.then(async () => {
      const result = await this.applyNow(startedAt, rollbackMs);
      this.last = result;
      for (const resolve of waiting) resolve(result);
    });
  }

  private armUndo(undo: Map<RenderedConfig, UciChange[]>, rollbackMs: number): void {
    this.confirm();
    const timer = this.options.clock.setTimeout(() => {
      this.pendingUndo = undefined;
      this.chain = this.chain.then(() => this.rollBack(undo));
    }, rollbackMs);
    this.pendingUndo = { changes: undo, timer };
  }

  private async rollBack(undo: Map<RenderedConfig, UciChange[]>): Promise<void> {
    const { clock, log } = this.options;
    const startedAt = clock.now();
    try {
      for (const [config, changes] of undo) await this.options.writer.apply(config, changes);
      const reloads = reloadCommands(new Set(undo.keys()));
      for (const [command, ...args] of reloads) await this.options.runner.run(command!, args);
      log.warn('apply not confirmed in time: previous wireless/network/firewall restored');
      this.last = { at: clock.now(), result: 'rolled-back', changes: [...undo.values()].flat().map((change) => `${change.op} ${change.section}${'option' in change && change.option ? `.${change.option}` : ''}`), reloads: reloads.map((command) => command.join(' ')), issues: [], latency_ms: clock.now() - startedAt };
    } catch (error) {
      log.error('rollback failed', { error: (error as Error).message });
    }
  }

  private async applyNow(startedAt: number, rollbackMs = 0): Promise<ApplyResult> {
    const { clock, log } = this.options;
    const done = (result: Omit<ApplyResult, 'at' | 'latency_ms'>): ApplyResult => ({ ...result, at: clock.now(), latency_ms: clock.now() - startedAt });
    const source = this.options.source();
    if (!source.ok) return done({ result: 'refused', changes: [], reloads: [], issues: source.issues });
    let diff: ProfileDiff;
    const undo = new Map<RenderedConfig, UciChange[]>();
    try {
      const before = await readRenderedConfigs(this.options.configDir);
      diff = diffProfile(before, source.profile);
      if (diff.missing.length > 0) throw new Error(missingText(diff.missing));
      for (const [config, changes] of diff.changes) {
        undo.set(config, undoChanges(before.get(config), changes));
        await this.options.writer.apply(config, changes);
      }
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
    if (rollbackMs > 0) this.armUndo(undo, rollbackMs);
    log.notice('HaLow profile applied', { changes: diff.lines.length, reloads: result.reloads.join('; '), rollback_ms: rollbackMs || null });
    return result;
  }
}
