// Runs otbr-agent on the probed RCP and keeps the Thread network served: start, dataset from UCI,
// enable, wait for the role; then watch (process exit, REST liveness); on a fault classify it and
// climb the recovery ladder, with backoff, until the role is back or the ladder is spent.
import type { Logger } from '../../lib/log.js';
import type { LocateResult } from '../rcp/locate.js';
import { AgentProcess, type AgentLaunch } from './agent-process.js';
import { applyDataset, type ThreadDataset } from './dataset.js';
import type { AgentExit } from './exit-codes.js';
import { RecoveryLadder, type FaultKind, type LadderFaultKind, type LadderPolicy } from './ladder.js';
import { RestError, type OtbrRest, type ThreadNodeView } from './rest-client.js';
import type { RecoveryStep } from './exit-codes.js';

export type SupervisorState = 'idle' | 'probing' | 'starting' | 'attaching' | 'running' | 'recovering' | 'failed' | 'stopped';

export const ATTACHED_ROLES: ReadonlySet<string> = new Set(['leader', 'router', 'child']);

export interface Fault { at: number; kind: FaultKind; message: string; step?: RecoveryStep }

export interface SupervisorDeps {
  locate(): Promise<LocateResult>;
  /** Power-cycles the dongle (USB re-authorisation); says what it did. */
  resetRadio(located: LocateResult | undefined): Promise<string>;
  launch: Omit<AgentLaunch, 'radioUrl'>;
  rest: OtbrRest;
  dataset?: ThreadDataset;
  pendingDelayMs?: number;
  log: Logger;
  emit(what: string, data: Record<string, unknown>): void;
  policy?: LadderPolicy;
  /** REST liveness query period; two misses in a row mean the agent is stuck. */
  livenessMs?: number;
}

export interface SupervisorCounters { agentStarts: number; recoveries: number; faults: number; datasetWrites: number }

type Outcome = { kind: LadderFaultKind; message: string; exit?: AgentExit };

const FAULT_RING = 20;

export class OtbrSupervisor {
  readonly supervision = { supervisor: 'smartgrid' } as const;
  state: SupervisorState = 'idle';
  cause = '';
  role = 'disabled';
  /** The last GET /node (refreshed by every liveness query). */
  node: ThreadNodeView | undefined;
  located: LocateResult | undefined;
  agent: AgentProcess | undefined;
  lastExit: AgentExit | undefined;
  lastRecoveryMs: number | undefined;
  readonly faults: Fault[] = [];
  readonly counters: SupervisorCounters = { agentStarts: 0, recoveries: 0, faults: 0, datasetWrites: 0 };
  private readonly ladder: RecoveryLadder;
  private faultAt: number | undefined;
  private stopping = false;
  private relocateNext = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: SupervisorDeps) {
    this.ladder = new RecoveryLadder(deps.policy);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.agent?.stop();
    await this.loop;
    this.deps.rest.close();
    this.state = 'stopped';
  }

  /** ubus restart_radio: start over from a fresh probe, also after the ladder gave up. */
  restartRadio(): void {
    this.ladder.recovered();
    this.relocateNext = true;
    this.agent?.kill();
    this.wake?.();
  }

  private async run(): Promise<void> {
    let step: RecoveryStep = 'relocate';
    while (!this.stopping) {
      const outcome = await this.attempt(step);
      if (this.stopping) break;
      const decision = this.ladder.next(outcome.kind);
      this.recordFault(outcome, decision.step);
      if (decision.step === 'give-up') {
        this.setState('failed', `${outcome.message}; recovery gave up after ${decision.attempt - 1} attempts`);
        await this.sleep(Number.POSITIVE_INFINITY);
        step = 'relocate';
        continue;
      }
      this.setState('recovering', `${outcome.message}; next: ${decision.step} in ${decision.delayMs} ms (attempt ${decision.attempt})`);
      await this.sleep(decision.delayMs);
      step = this.relocateNext ? 'relocate' : decision.step;
      this.relocateNext = false;
    }
  }

  private async attempt(step: RecoveryStep): Promise<Outcome> {
    if (step === 'reset-radio') {
      const done = await this.deps.resetRadio(this.located).catch((error: Error) => `radio reset failed: ${error.message}`);
      this.deps.log.notice(`radio reset: ${done}`);
    }
    if (step !== 'restart-agent' || !this.located?.probe?.ok) {
      this.setState('probing', 'looking for the RCP');
      this.located = await this.deps.locate();
      const probe = this.located.probe;
      if (!probe?.ok) return { kind: 'probe-failed', message: probe?.message ?? this.located.selection.reason };
      if (this.located.replaced) this.deps.emit('rcp_replaced', { ...this.located.replaced });
    }
    return this.serve(radioUrl(this.located));
  }

  private async serve(url: string): Promise<Outcome> {
    this.setState('starting', `starting otbr-agent on ${url}`);
    const agent = new AgentProcess({ ...this.deps.launch, radioUrl: url });
    this.agent = agent;
    this.counters.agentStarts++;
    const exited = agent.exited.then((exit) => ({ kind: exit.kind, message: `otbr-agent ${exit.meaning}${lastLine(agent)}`, exit }) as Outcome);
    const ready = this.bringUp(agent);
    const first = await Promise.race([exited, ready]);
    if (first !== undefined) return this.finish(agent, first);
    this.served();
    return this.finish(agent, await Promise.race([exited, this.watch(agent)]));
  }

  /** REST up, dataset applied, Thread enabled, role attached: resolves undefined, or with why not. */
  private async bringUp(agent: AgentProcess): Promise<Outcome | undefined> {
    const rest = this.deps.rest;
    const exitWins = (): Promise<Outcome> => new Promise(() => {});
    if (!(await this.until(agent, async () => { await rest.state(); return true; }))) return exitWins();
    await rest.detectCasing();
    try {
      if (this.deps.dataset) {
        const { outcome, changed } = await applyDataset(rest, this.deps.dataset, this.deps.pendingDelayMs ?? 30_000);
        if (outcome !== 'unchanged') {
          this.counters.datasetWrites++;
          this.deps.log.notice(`Thread dataset from UCI applied as ${outcome} dataset (changed: ${changed.join(', ')})`);
        }
      }
      if ((await rest.state()) === 'disabled') await rest.setState('enable');
    } catch (error) {
      if (!(error instanceof RestError)) throw error;
      this.deps.log.error(`cannot configure the Thread network: ${error.message}`);
      agent.kill();
      return exitWins();
    }
    this.setState('attaching', 'waiting for the Thread role');
    await this.until(agent, async () => this.observeNode(await rest.node()));
    return undefined;
  }

  private served(): void {
    this.setState('running', '');
    if (this.faultAt !== undefined) {
      this.lastRecoveryMs = Date.now() - this.faultAt;
      this.counters.recoveries++;
      this.deps.emit('recovered', { ms: this.lastRecoveryMs, role: this.role });
      this.faultAt = undefined;
    }
    this.ladder.recovered();
  }

  /** Polls REST until the agent stops answering twice in a row (or exits: the race ends it). */
  private async watch(agent: AgentProcess): Promise<Outcome> {
    let misses = 0;
    while (agent.running && !this.stopping) {
      await this.sleep(this.deps.livenessMs ?? 5000);
      try {
        this.observeNode(await this.deps.rest.node());
        misses = 0;
      } catch {
        if (++misses >= 2 && agent.running) {
          await agent.stop();
          return { kind: 'unresponsive', message: 'otbr-agent stopped answering REST (two liveness queries missed)' };
        }
      }
    }
    return new Promise(() => {});
  }

  private async finish(agent: AgentProcess, outcome: Outcome): Promise<Outcome> {
    if (agent.running) await agent.stop();
    this.lastExit = outcome.exit ?? (await agent.exited);
    this.node = undefined;
    this.observeRole('disabled');
    return outcome;
  }

  /** Retries `check` every 100 ms while the agent runs; false when it exited first. */
  private async until(agent: AgentProcess, check: () => Promise<boolean>): Promise<boolean> {
    while (agent.running && !this.stopping) {
      if (await check().catch(() => false)) return true;
      await this.sleep(100);
    }
    return false;
  }

  private observeNode(node: ThreadNodeView): boolean {
    this.node = node;
    return this.observeRole(node.role);
  }

  private observeRole(role: string): boolean {
    if (role !== this.role) {
      this.deps.emit('role', { role, previous: this.role });
      this.role = role;
    }
    return ATTACHED_ROLES.has(role);
  }

  private recordFault(outcome: Outcome, step: RecoveryStep): void {
    this.faultAt ??= Date.now();
    this.counters.faults++;
    this.faults.push({ at: Date.now(), kind: outcome.kind, message: outcome.message, step });
    if (this.faults.length > FAULT_RING) this.faults.shift();
    this.deps.log.warn(`Thread radio fault: ${outcome.message}`, { next: step });
    this.deps.emit('fault', { kind: outcome.kind, message: outcome.message, next: step });
  }

  private setState(state: SupervisorState, cause: string): void {
    const changed = state !== this.state;
    this.state = state;
    this.cause = cause;
    if (changed) this.deps.emit('state', { state, cause });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      function done(): void { clearTimeout(timer); resolve(); }
      this.wake = done;
    });
  }
}

function lastLine(agent: AgentProcess): string {
  const critical = [...agent.lastLines].reverse().find((line) => /\[C\]/.test(line));
  return critical ? ` (${critical.replace(/^.*\[C\]\s*/, '')})` : '';
}

export function radioUrl(located: LocateResult): string {
  const probe = located.probe!;
  return `spinel+hdlc+uart://${probe.path}?uart-baudrate=${probe.baud}`;
}
