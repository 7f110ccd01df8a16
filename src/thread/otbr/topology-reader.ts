// Keeps the Thread topology fresh without making a ubus caller wait for it: REST /diagnostics
// takes about 2 s (otbr-agent collects multicast answers), so it is read in the background every
// `intervalMs`, at once when the border router attaches, and on demand with a bounded wait. The
// last good result stays with its time; `source` says why it is missing or old.
import type { Logger } from '../../lib/log.js';
import { Waiter } from '../../lib/ubus/waiter.js';
import type { ThreadNodeView, ThreadTopologyReply, ThreadTopologySource } from '../contract.js';
import { parseChildTable, parseNeighborTable, parseRouterTable } from './cli-tables.js';
import { parseDiagnostics } from './diagnostics.js';
import { OtCtlError, type OtCtl } from './ot-ctl.js';
import { RestError } from './rest-client.js';
import { buildTopology, joinNodeViews, type TopologyShape } from './topology.js';

/** What the service knows about the radio without asking otbr-agent. */
export interface TopologyRadio { enabled: boolean; agentRunning: boolean; role: string }

export interface TopologyReaderDeps {
  /** GET /diagnostics on a connection of its own (the liveness query must not queue behind it). */
  diagnostics(): Promise<unknown>;
  otCtl: Pick<OtCtl, 'command'>;
  radio(): TopologyRadio;
  /** The CoAP bridge's nodes, joined to the topology by address. */
  nodeViews(): ThreadNodeView[];
  intervalMs: number;
  /** Longest wait of a `topology {"refresh": true}` call before it answers with the last result. */
  onDemandTimeoutMs?: number;
  /** How often the radio is looked at (in memory) to read at once after it attached. */
  watchMs?: number;
  log: Logger;
  emit(what: 'topology', data: Record<string, unknown>): void;
  /** Releases the connections (the REST keep-alive socket). */
  close?(): void;
  now?(): number;
}

interface Outcome { source: ThreadTopologySource; detail?: string }

const ATTACHED = new Set(['leader', 'router', 'child']);
const EMPTY: TopologyShape = { routers: [], children: [], neighbours: [] };

export class TopologyReader {
  private snapshot: { shape: TopologyShape; at: number } | undefined;
  private outcome: Outcome = { source: 'not-read-yet', detail: 'the topology has not been read yet' };
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private wasAttached = false;
  private lastEmitted = '';
  private readonly waiter = new Waiter<void>();
  private waits = 0;

  constructor(private readonly deps: TopologyReaderDeps) {}

  start(): void {
    this.timer ??= setInterval(() => this.watch(), this.deps.watchMs ?? 1000);
    this.watch();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.waiter.rejectAll(new Error('stopped'));
    await this.inFlight;
    this.deps.close?.();
  }

  /** One read of every source; concurrent callers share it. */
  refresh(): Promise<void> {
    this.inFlight ??= this.read().finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  /** The ubus reply; with `refresh`, after a fresh read or `onDemandTimeoutMs`, whichever comes first. */
  async reply(refresh = false): Promise<ThreadTopologyReply> {
    if (!refresh) return this.view();
    const timeoutMs = this.deps.onDemandTimeoutMs ?? 5000;
    const key = String(++this.waits);
    const done = this.waiter.wait(key, { timeoutMs, timeoutError: () => new Error(`the topology read asked for did not finish within ${timeoutMs} ms; the last result is shown`) });
    void this.refresh().then(() => this.waiter.resolve(key, undefined));
    try {
      await done;
      return this.view();
    } catch (error) {
      return this.view({ source: 'timeout', detail: (error as Error).message });
    }
  }

  /** Children in the network, while the topology is current. */
  childCount(): number | undefined {
    return this.currentOutcome().source === 'ok' ? this.snapshot?.shape.children.length : undefined;
  }

  view(override?: Outcome): ThreadTopologyReply {
    const outcome = override ?? this.currentOutcome();
    const shape = this.snapshot?.shape ?? EMPTY;
    const bridgeNodes = this.deps.nodeViews();
    return {
      source: outcome.source, source_detail: outcome.detail,
      updated_at: this.snapshot ? Math.floor(this.snapshot.at / 1000) : undefined,
      routers: joinNodeViews(shape.routers, bridgeNodes), children: joinNodeViews(shape.children, bridgeNodes), neighbours: shape.neighbours,
    };
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** To be called when the Thread role changed: a short outage is seen even between two watch ticks. */
  radioChanged(): void {
    this.watch();
  }

  /** Reads at once when the radio just attached, else when the interval is over; tells when the radio went away. */
  private watch(): void {
    const blocked = this.radioReason();
    if (blocked && blocked.source !== this.outcome.source) this.record(blocked, true);
    const justAttached = !blocked && !this.wasAttached;
    this.wasAttached = !blocked;
    if (justAttached || (!blocked && this.now() - this.lastAttemptAt >= this.deps.intervalMs)) void this.refresh();
  }

  /** What the radio state alone says (no I/O): why nothing can be read now. */
  private radioReason(): Outcome | undefined {
    const radio = this.deps.radio();
    if (!radio.enabled) return { source: 'disabled', detail: 'smartgrid.thread is disabled' };
    if (!radio.agentRunning) return { source: 'agent-down', detail: 'otbr-agent is not running' };
    if (!ATTACHED.has(radio.role)) return { source: 'detached', detail: `the border router is ${radio.role}, not attached to a Thread network` };
    return undefined;
  }

  private currentOutcome(): Outcome {
    return this.radioReason() ?? this.outcome;
  }

  private async read(): Promise<void> {
    const blocked = this.radioReason();
    if (blocked) return this.record(blocked, true);
    this.lastAttemptAt = this.now();
    try {
      const cli = this.deps.otCtl;
      const [body, routers, children, neighbours] = await Promise.all([
        this.deps.diagnostics(), cli.command('router', 'table'), cli.command('child', 'table'), cli.command('neighbor', 'table'),
      ]);
      const shape = buildTopology({ diagnostics: parseDiagnostics(body), routerTable: parseRouterTable(routers), childTable: parseChildTable(children), neighborTable: parseNeighborTable(neighbours) });
      this.snapshot = { shape, at: this.now() };
      this.record({ source: 'ok' });
    } catch (error) {
      this.record(outcomeOf(error));
    }
  }

  /** `fromRadio`: the reason is the radio state (the supervisor reports those faults itself). */
  private record(outcome: Outcome, fromRadio = false): void {
    if (outcome.source !== this.outcome.source) {
      const line = outcome.source === 'ok' ? 'Thread topology read' : `Thread topology not read: ${outcome.detail ?? outcome.source}`;
      if (outcome.source === 'ok' || fromRadio) this.deps.log.info(line);
      else this.deps.log.warn(line);
    }
    this.outcome = outcome;
    const shape = this.snapshot?.shape ?? EMPTY;
    const event = { source: outcome.source, routers: shape.routers.length, children: shape.children.length, neighbours: shape.neighbours.length };
    const key = JSON.stringify([event, shape.routers.map((n) => n.ext_address), shape.children.map((n) => [n.ext_address, n.parent])]);
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    this.deps.emit('topology', { ...event, updated_at: this.snapshot ? Math.floor(this.snapshot.at / 1000) : undefined });
  }
}

/** Which `source` a failed read means. */
export function outcomeOf(error: unknown): Outcome {
  const detail = (error as Error)?.message ?? String(error);
  if (error instanceof RestError) {
    if (error.failure === 'timeout') return { source: 'timeout', detail };
    if (error.failure === 'connection') return { source: 'agent-down', detail };
    if (error.status === 500) return { source: 'detached', detail: `${detail} (otbr-agent answers 500 while not attached)` };
    return { source: 'error', detail };
  }
  if (error instanceof OtCtlError) {
    if (error.failure === 'agent-down' || error.failure === 'timeout') return { source: error.failure, detail };
    return { source: error.otError?.name === 'Detached' ? 'detached' : 'error', detail };
  }
  // A parse error (DiagnosticsError, CliTableError, bad JSON) or anything unforeseen.
  return { source: 'error', detail };
}
