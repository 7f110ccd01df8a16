// Supervision when the `openthread` netifd proto runs otbr-agent: we never start the agent, never write
// the dataset and never open the tty while netifd's agent holds it. We watch (interface status, REST
// state and role) and recover through netifd only: `down` + `up` of the interface re-runs the proto's
// setup, with the backoff and cap of the ladder. A radio_url whose tty is gone is reported, never rewritten.
import { existsSync } from 'node:fs';
import type { Logger } from '../../lib/log.js';
import type { LocateResult } from '../rcp/locate.js';
import { datasetDifferences, type ThreadDataset } from './dataset.js';
import { RecoveryLadder, type FaultKind, type LadderPolicy } from './ladder.js';
import { radioUrlDevice, type InterfaceStatus, type NetifdControl, type OpenthreadInterface } from './netifd.js';
import type { OtbrRest, ThreadNodeView } from './rest-client.js';
import { ATTACHED_ROLES, type Fault, type SupervisorCounters, type SupervisorState } from './supervisor.js';

export interface NetifdSupervisorDeps {
  iface: OpenthreadInterface;
  netifd: NetifdControl;
  rest: OtbrRest;
  /** smartgrid.thread's network options: compared with the active dataset, never written. */
  dataset?: ThreadDataset;
  /** Finds and probes the RCP; only called while the interface is down (the port is free). */
  locate(): Promise<LocateResult>;
  log: Logger;
  emit(what: string, data: Record<string, unknown>): void;
  policy?: LadderPolicy;
  /** Period of the interface + REST liveness queries while served. */
  livenessMs?: number;
  /** Period of the queries while netifd brings the interface up. */
  pollMs?: number;
  pathExists?(path: string): boolean;
  /** The interface as /etc/config/network has it now (the admin may have fixed radio_url since). */
  currentInterface?(): OpenthreadInterface | undefined;
}

type Outcome = { kind: FaultKind; message: string; final?: boolean };

const FAULT_RING = 20;

export class NetifdSupervisor {
  readonly supervision: { supervisor: 'netifd'; interface: string; interface_up?: boolean; dataset_note?: string };
  state: SupervisorState = 'idle';
  cause = '';
  role = 'disabled';
  node: ThreadNodeView | undefined;
  located: LocateResult | undefined;
  readonly agent = undefined;
  readonly lastExit = undefined;
  lastRecoveryMs: number | undefined;
  readonly faults: Fault[] = [];
  readonly counters: SupervisorCounters & { interfaceCycles: number } = { agentStarts: 0, recoveries: 0, faults: 0, datasetWrites: 0, interfaceCycles: 0 };
  private readonly ladder: RecoveryLadder;
  private faultAt: number | undefined;
  private stopping = false;
  private cycleNext = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: NetifdSupervisorDeps) {
    this.ladder = new RecoveryLadder(deps.policy);
    this.supervision = { supervisor: 'netifd', interface: deps.iface.name };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Leaves the interface as it is: netifd keeps serving the network without us. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.deps.rest.close();
    this.state = 'stopped';
  }

  /** ubus restart_radio: `down` + `up` of the interface now, also after `failed`. */
  restartRadio(): void {
    this.ladder.recovered();
    this.cycleNext = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    let cycle = false;
    let forced = false;
    while (!this.stopping) {
      const outcome = await this.attempt(cycle, forced);
      if (this.stopping) break;
      this.recordFault(outcome);
      const decision = this.ladder.backoff();
      if (outcome.final || decision.exhausted) {
        const why = outcome.final ? outcome.message : `${outcome.message}; recovery gave up after ${decision.attempt - 1} attempts`;
        this.setState('failed', why);
        await this.sleep(Number.POSITIVE_INFINITY);
      } else {
        this.setState('recovering', `${outcome.message}; next: down + up of network.${this.deps.iface.name} in ${decision.delayMs} ms (attempt ${decision.attempt})`);
        await this.sleep(decision.delayMs);
      }
      forced = this.cycleNext;
      this.cycleNext = false;
      cycle = true;
    }
  }

  /** A cycle after a fault: `down` + `up`, unless netifd is already re-running the setup on its own. */
  private async attempt(cycle: boolean, forced: boolean): Promise<Outcome> {
    const name = `network.${this.deps.iface.name}`;
    let status = await this.interfaceStatus();
    if (cycle && (forced || !busy(status))) {
      this.setState('recovering', `down + up of ${name} (netifd re-runs the openthread setup)`);
      await this.deps.netifd.down().catch(() => undefined);
      this.counters.interfaceCycles++;
      status = await this.interfaceStatus();
    }
    if (!busy(status)) {
      const stale = await this.staleRadioUrl();
      if (stale) return stale;
      this.setState('starting', `asking netifd to bring up ${name}`);
      await this.deps.netifd.up().catch((error: Error) => this.deps.log.warn(`ubus call ${name.replace('network.', 'network.interface.')} up: ${error.message}`));
    }
    return this.serve();
  }

  /** Until the interface falls down or the agent stops answering; resolves with why. */
  private async serve(): Promise<Outcome> {
    this.setState('starting', `waiting for netifd to bring up network.${this.deps.iface.name}`);
    const brought = await this.whileUp(this.deps.pollMs ?? 100, async () => {
      const node = await this.deps.rest.node().catch(() => undefined);
      if (node && this.state === 'starting') this.setState('attaching', 'waiting for the Thread role');
      if (node && this.supervision.interface_up) await this.compareDataset();
      return node !== undefined && this.observeNode(node);
    });
    if (brought) return brought;
    this.served();
    let misses = 0;
    const lost = await this.whileUp(this.deps.livenessMs ?? 5000, async () => {
      const node = await this.deps.rest.node().catch(() => undefined);
      misses = node ? 0 : misses + 1;
      if (node) { this.observeNode(node); await this.compareDataset(); }
      return misses >= 2;
    });
    return lost ?? { kind: 'unresponsive', message: 'otbr-agent (run by netifd) stopped answering REST (two liveness queries missed)' };
  }

  /** Runs `check` every `periodMs` while the interface is up or pending: undefined when it said done, else why it stopped. */
  private async whileUp(periodMs: number, check: () => Promise<boolean>): Promise<Outcome | undefined> {
    while (!this.stopping && !this.cycleNext) {
      const status = await this.interfaceStatus();
      if (!busy(status)) {
        this.node = undefined;
        this.observeRole('disabled');
        const errors = status.errors.length ? ` (errors: ${status.errors.join(', ')})` : '';
        return { kind: 'interface-down', message: `netifd took network.${this.deps.iface.name} down: otbr-agent exited or its setup failed${errors}` };
      }
      if (await check()) return undefined;
      await this.sleep(periodMs);
    }
    return { kind: 'stopped', message: this.stopping ? 'stopping' : 'restart_radio requested' };
  }

  private async interfaceStatus(): Promise<InterfaceStatus> {
    const status = await this.deps.netifd.status().catch(() => ({ up: false, pending: false, available: false, errors: ['NO_UBUS_OBJECT'] }));
    this.supervision.interface_up = status.up;
    return status;
  }

  /** The proto's radio_url names a tty that is gone: find the dongle (the port is free) and say what to set. */
  private async staleRadioUrl(): Promise<Outcome | undefined> {
    const url = (this.deps.currentInterface?.() ?? this.deps.iface).radioUrl;
    const device = radioUrlDevice(url);
    if (!device || (this.deps.pathExists ?? existsSync)(device)) return undefined;
    this.located = await this.deps.locate().catch(() => undefined);
    const found = this.located?.probe?.ok ? this.located.probe.path : undefined;
    const option = `network.${this.deps.iface.name}.radio_url`;
    const advice = found
      ? `the RCP answers on ${found}: set ${option} to '${url.replace(device, found)}' (a /dev/serial/by-id path survives re-enumeration) and run 'ifup ${this.deps.iface.name}'`
      : `no RCP was found (${this.located?.probe?.message ?? this.located?.selection.reason ?? 'discovery failed'}): plug the dongle in, set ${option} to its /dev/serial/by-id path and run 'ifup ${this.deps.iface.name}'`;
    return { kind: 'stale-radio-url', final: true, message: `${option} names ${device}, which does not exist (the dongle re-enumerated?); ${advice}. smartgrid never rewrites /etc/config/network` };
  }

  private async compareDataset(): Promise<void> {
    if (!this.deps.dataset || this.supervision.dataset_note !== undefined) return;
    const active = (await this.deps.rest.getJson('/node/dataset/active').catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!active) return;
    const differing = datasetDifferences(active, this.deps.dataset);
    this.supervision.dataset_note = differing.length
      ? `the active dataset (set by the openthread proto from network.${this.deps.iface.name}.dataset) differs from smartgrid.thread in ${differing.join(', ')}; not written: netifd owns the dataset`
      : '';
    if (differing.length) this.deps.log.warn(this.supervision.dataset_note);
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

  private recordFault(outcome: Outcome): void {
    this.faultAt ??= Date.now();
    this.counters.faults++;
    const step = outcome.final ? 'give-up' : 'restart-interface';
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

  /** Also ends at once when restart_radio came while no sleep was pending (its wake had nothing to wake). */
  private sleep(ms: number): Promise<void> {
    if (this.stopping || this.cycleNext) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      function done(): void { clearTimeout(timer); resolve(); }
      this.wake = done;
    });
  }
}

/** Up, or netifd is running the setup: the agent is netifd's to run, not ours to touch. */
function busy(status: InterfaceStatus): boolean {
  return status.up || status.pending;
}
