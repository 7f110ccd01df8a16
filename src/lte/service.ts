import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Service, ServiceContext } from '../lib/lifecycle.js';
import { actionError, actionResult } from '../lib/action-result.js';
import { UBUS_STATUS, type UbusArgs, type UbusMethod } from '../lib/ubus/types.js';
import { systemClock, type Clock } from './clock.js';
import { ProcessRunner, type CommandRunner } from './command.js';
import type { LteConfig } from './config.js';
import { FailoverMonitor, type FailoverEvent } from './failover/monitor.js';
import { TelemetryModeSwitch } from './failover/telemetry-mode.js';
import { assessHealth, type LteHealth } from './health.js';
import { buildExecutors } from './ladder/actions.js';
import { Ladder, ManualStepRefused, type HistoryEntry } from './ladder/ladder.js';
import { buildStepPolicies, STEP_NAMES, type StepName } from './ladder/steps.js';
import { Mmcli } from './modem/mmcli.js';
import { ModemTracker, type ObservationResult } from './modem/tracker.js';
import type { ModemSnapshot } from './modem/types.js';
import type { ProbeMethod } from './probe/methods.js';
import { Prober } from './probe/prober.js';
import { readStateFile, writeStateFile } from './state-file.js';
import { healthView, modemView } from './status-view.js';
import { UsageMeter } from './usage/meter.js';
import { uplinkManagerOptions } from './uplink/from-config.js';
import { UplinkManager } from './uplink/manager.js';

export interface LteDeps {
  runner?: CommandRunner;
  clock?: Clock;
  /** Root `state_dir` is resolved under (a staged install, tests); default `/`. */
  stateRoot?: string;
}

type Loop = 'modem' | 'probe' | 'routes' | 'uplinks';

/** How often the uplink loop looks whether a probe round is due (each uplink keeps its own interval). */
const UPLINK_TICK_MS = 500;

type RunTimes = Partial<Record<StepName, number[]>>;

function isLadderState(value: unknown): value is { run_times: RunTimes } {
  const runTimes = (value as { run_times?: unknown } | null)?.run_times;
  if (typeof runTimes !== 'object' || runTimes === null) return false;
  return Object.entries(runTimes).every(([step, times]) => (STEP_NAMES as readonly string[]).includes(step)
    && Array.isArray(times) && times.every((at) => Number.isFinite(at)));
}

/** Bound on the operator's `reset` reason (kept in history, logs and events). */
export const MAX_REASON_LENGTH = 200;

/** smartgrid-lte: modem state, LTE probes, recovery ladder, failover timing and data quota. */
export class LteService implements Service<LteConfig> {
  private config: LteConfig;
  private readonly runner: CommandRunner;
  private readonly clock: Clock;
  private readonly stateRoot: string;
  private readonly timers = new Map<Loop, unknown>();
  private running = false;
  private tracker!: ModemTracker;
  private mmcli!: Mmcli;
  private prober!: Prober;
  private ladder!: Ladder;
  private failover!: FailoverMonitor;
  private uplinks!: UplinkManager;
  private routesWork: Promise<void> = Promise.resolve();
  private stopListening: (() => Promise<void>) | undefined;
  private usage!: UsageMeter;
  private readonly modeSwitch: TelemetryModeSwitch;
  private snapshot: ModemSnapshot | undefined;
  private observation: ObservationResult | undefined;
  /** When `snapshot` was read (ms): the modem values in status are this old while the modem does not answer. */
  private snapshotAt: number | undefined;
  private health: LteHealth | undefined;
  private device = '';
  private lastUsageSave = 0;
  private inflight: Promise<unknown> = Promise.resolve();
  private ladderSave: Promise<void> = Promise.resolve();

  constructor(private readonly context: ServiceContext<LteConfig>, deps: LteDeps = {}) {
    this.config = context.config;
    this.runner = deps.runner ?? new ProcessRunner();
    this.clock = deps.clock ?? systemClock;
    this.stateRoot = deps.stateRoot ?? '/';
    this.modeSwitch = new TelemetryModeSwitch(context.ubus, context.log.child('telemetry-mode'));
  }

  async start(): Promise<void> {
    await this.build(undefined);
    this.running = true;
    for (const loop of ['routes', 'modem', 'probe', 'uplinks'] as Loop[]) this.schedule(loop, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const handle of this.timers.values()) this.clock.clearTimeout(handle);
    this.timers.clear();
    await this.inflight.catch(() => undefined);
    await this.ladderSave;
    await this.stopListening?.().catch(() => undefined);
    await this.routesWork.catch(() => undefined);
    await this.uplinks?.stop();
    await this.usage?.save().catch(() => undefined);
  }

  async reload(config: LteConfig): Promise<void> {
    const history = this.ladder?.actionTimes();
    this.config = config;
    await this.usage?.save().catch(() => undefined);
    await this.build(history);
  }

  status(): UbusArgs {
    const now = this.clock.now();
    const ladder = this.ladder.current;
    return {
      enabled: this.config.enabled,
      health: healthView(this.health),
      modem: modemView(this.snapshot),
      modem_read_at: this.snapshotAt ?? null,
      modem_error: this.observation?.kind === 'error' ? { kind: this.observation.failure, message: this.observation.message } : undefined,
      device: this.device || null,
      probe: { method: this.config.probe_method, verdict: this.prober.verdict, last: this.prober.lastRound ?? null },
      ladder: {
        state: ladder.state, step: ladder.step ?? null, next_step: ladder.next_step ?? null,
        next_action_at: ladder.next_action_at ?? null, down_since: ladder.down_since ?? null,
        next_action_in_s: ladder.next_action_at === undefined ? null : Math.max(0, Math.round((ladder.next_action_at - now) / 1000)) },
      failover: this.failover.status(),
      uplink: this.uplinks.status(),
      telemetry_mode: this.modeSwitch.status(),
      usage: this.usage.status(now),
    };
  }

  methods(): Record<string, UbusMethod> {
    return {
      history: { handler: (args) => ({ entries: this.ladder.entries(typeof args.limit === 'number' ? args.limit : 50) as unknown as UbusArgs[], usage_days: this.usage.days() }) },
      reset: { handler: async (args) => this.manualReset(args) },
      identity: { handler: () => this.identity() },
      probe: {
        handler: async () => {
          if (!this.device) throw actionError(UBUS_STATUS.NO_DATA, 'no-device', 'No probe was sent: the LTE device is unknown (no connected bearer and no device option set)');
          const round = await this.prober.round();
          const message = `${round.successes} of ${round.results.length} targets answered through ${this.device}; the link is ${round.verdict}`;
          return actionResult(round.ok, 'probed', message, { ...round, device: this.device });
        },
      },
    };
  }

  /** IMEI, ICCID and IMSI unmasked (write ACL only; `status` masks them). */
  private identity(): UbusArgs {
    if (!this.snapshot) throw actionError(UBUS_STATUS.NO_DATA, 'no-modem', 'No modem has been seen yet');
    const { modem, sim } = this.snapshot;
    return { equipment_id: modem.equipmentId, iccid: sim?.iccid ?? null, imsi: sim?.imsi ?? null };
  }

  private async manualReset(args: UbusArgs): Promise<UbusArgs> {
    const step = String(args.step ?? '');
    const reason = String(args.reason ?? '').trim();
    if (!(STEP_NAMES as readonly string[]).includes(step)) throw actionError(UBUS_STATUS.INVALID_ARGUMENT, 'invalid-argument', `step must be one of ${STEP_NAMES.join('|')}, not '${step}'`);
    if (!reason) throw actionError(UBUS_STATUS.INVALID_ARGUMENT, 'invalid-argument', 'a reason is required (it is kept in the history)');
    if (reason.length > MAX_REASON_LENGTH || /[\u0000-\u001f\u007f]/.test(reason)) {
      throw actionError(UBUS_STATUS.INVALID_ARGUMENT, 'invalid-argument', `reason must be one line of at most ${MAX_REASON_LENGTH} characters`);
    }
    let entry: HistoryEntry;
    try {
      entry = await this.ladder.runManual(step as StepName, `manual: ${reason}`);
    } catch (error) {
      const status = error instanceof ManualStepRefused ? UBUS_STATUS.PERMISSION_DENIED : UBUS_STATUS.NOT_SUPPORTED;
      throw actionError(status, 'refused', `${step} was not run: ${(error as Error).message}`);
    }
    const ok = entry.outcome === 'ok';
    return actionResult(ok, ok ? 'step-run' : 'step-failed', `${step} ${ok ? 'ran' : 'failed'}${entry.detail ? `: ${entry.detail}` : ''}`, { ...entry });
  }

  private async build(runTimes: RunTimes | undefined): Promise<void> {
    const config = this.config;
    const log = this.context.log;
    this.context.log.setLevel(config.log_level);
    this.mmcli = new Mmcli({ runner: this.runner, timeoutMs: config.mmcli_timeout * 1000 });
    this.tracker = new ModemTracker(this.mmcli, { match: config.modem }, log.child('modem'), config.signal_rate);
    this.device = config.device;
    this.prober = new Prober({
      targets: config.probe_targets.map((target) => ({ method: config.probe_method as ProbeMethod, target })),
      reliability: config.probe_reliability, down: config.probe_down, up: config.probe_up,
      context: { device: this.device, timeoutMs: config.probe_timeout, dnsName: config.probe_dns_name, runner: this.runner },
    });
    const saved = runTimes ?? (await this.savedRunTimes());
    this.ladder = new Ladder({
      steps: buildStepPolicies(config.ladder_step, config.reboot_enabled, config.reboot_max_per_day),
      executors: buildExecutors({
        interfaceName: config.interface, reconnectMethod: config.reconnect_method, connectSettings: config.connect_settings,
        resetMethod: config.reset_method,
        powerCycleMethod: config.power_cycle_method, powerCycleTarget: config.power_cycle_target, powerCycleOffS: config.power_cycle_off_time,
        gpioActiveLow: config.gpio_active_low, sysfsRoot: '/sys',
      }, { runner: this.runner, mmcli: this.mmcli, ubus: this.context.ubus, clock: this.clock, modemIndex: () => this.tracker.currentIndex }),
      clock: this.clock, log: log.child('ladder'), failureGraceS: config.failure_grace, stableResetS: config.stable_reset,
      historySize: config.history_size, runTimes: saved,
      onEntry: (entry) => this.onLadderEntry(entry),
      beforeStep: () => this.saveLadder(),
    });
    this.uplinks = new UplinkManager(uplinkManagerOptions(config, {
      runner: this.runner, ubus: this.context.ubus, clock: this.clock, log: log.child('uplink'),
      emit: (what, data) => this.context.emit(what, data), onSwitch: () => this.modeSwitch.uplinkChanged(),
    }));
    this.failover = new FailoverMonitor({
      source: config.route_source,
      names: { wanInterface: config.wan_interface, lteInterface: config.interface, wanDevice: config.wan_device || undefined, lteDevice: config.device || undefined },
      runner: this.runner, ubus: this.context.ubus, clock: this.clock, log: log.child('failover'),
      onEvent: (event) => this.onFailover(event),
      choose: config.uplink_control === 'off' ? undefined : (routes) => this.uplinks.observeRoutes(routes),
    });
    this.usage = new UsageMeter({
      stateFile: this.statePath('usage.json'), resetDay: config.quota_reset_day,
      quotaBytes: config.quota_mb * 1024 * 1024, warningPercent: config.quota_warning,
    }, this.clock.now());
    const usageProblem = await this.usage.load(this.clock.now());
    if (usageProblem) log.warn('usage state file damaged; using the previous copy or counting from zero', { problem: usageProblem });
  }

  /**
   * Step run times saved by earlier runs (they keep the caps across restarts and reboots). A damaged
   * file without a good previous copy must not reset the reboot history: a reboot is then counted now.
   */
  private async savedRunTimes(): Promise<RunTimes> {
    const saved = await readStateFile(this.ladderFile(), isLadderState);
    if (saved.kind === 'missing') return {};
    if (saved.kind === 'ok') {
      if (saved.problem) this.context.log.warn('ladder state damaged; using the previous copy', { problem: saved.problem });
      return saved.value.run_times;
    }
    this.context.log.error('ladder state damaged and no good previous copy: counting a reboot now so the daily reboot cap holds', { problem: saved.problem });
    return { reboot: [this.clock.now()] };
  }

  private statePath(file: string): string { return join(this.stateRoot, this.config.state_dir, file); }

  private ladderFile(): string { return this.statePath('ladder.json'); }

  private schedule(loop: Loop, delayMs: number): void {
    if (!this.running) return;
    this.timers.set(loop, this.clock.setTimeout(() => {
      const work = this.tick(loop).catch((error: Error) => this.context.log.error(`${loop} loop failed`, { error: error.message }));
      this.inflight = work;
      void work.then(() => this.schedule(loop, this.intervalMs(loop)));
    }, delayMs));
  }

  private intervalMs(loop: Loop): number {
    if (loop === 'routes') return this.config.route_poll_interval;
    if (loop === 'uplinks') return UPLINK_TICK_MS;
    return (loop === 'probe' ? this.config.probe_interval : this.config.poll_interval) * 1000;
  }

  private async tick(loop: Loop): Promise<void> {
    if (!this.config.enabled) return;
    if (loop === 'routes') {
      await this.followRoutes();
    } else if (loop === 'uplinks') {
      if (this.config.uplink_control === 'off') return;
      if (await this.uplinks.probeDue()) await this.followRoutes();
    } else if (loop === 'probe') {
      if (!this.device) return;
      const round = await this.prober.round();
      if (round.changed) this.context.emit('probe', { verdict: round.verdict, successes: round.successes, device: this.device });
    } else {
      await this.checkModem();
    }
  }

  /** Routes, the uplink choice, policy routes and the forwarder's mode, one pass at a time. */
  private followRoutes(): Promise<void> {
    const pass = this.routesWork.catch(() => undefined).then(async () => {
      if (!this.stopListening) await this.listenToForwarder();
      if (this.config.uplink_control !== 'off') await this.uplinks.refresh();
      await this.failover.look();
      await this.uplinks.apply();
      this.applyTelemetryMode();
      await this.modeSwitch.sync();
    });
    this.routesWork = pass;
    return pass;
  }

  /** The forwarder losing its upstream session is a passive sign that the uplink may be failing. */
  private async listenToForwarder(): Promise<void> {
    try {
      const subscription = await this.context.ubus.listen('smartgrid.telemetry.disconnect', (_event, data) => {
        this.uplinks.passiveSignal(`telemetry disconnect: ${String(data.reason ?? '')}`);
      });
      this.stopListening = () => subscription.unsubscribe();
    } catch (error) {
      this.context.log.debug('cannot listen to the forwarder yet', { error: (error as Error).message });
    }
  }

  private async checkModem(): Promise<void> {
    const observation = await this.tracker.observe();
    const previous = this.snapshot;
    this.observation = observation;
    if (observation.kind === 'ok') {
      this.snapshot = observation.snapshot;
      this.snapshotAt = this.clock.now();
      if (observation.reappeared) this.context.emit('modem', { event: 'reappeared', index: observation.snapshot.modem.index });
      this.followDevice(observation.snapshot);
      await this.countUsage(observation.snapshot);
      this.emitChanges(previous, observation.snapshot);
    } else if (observation.kind === 'absent' && previous) {
      this.snapshot = undefined;
      this.context.emit('modem', { event: 'absent' });
    }
    const health = assessHealth(observation, this.prober.verdict);
    const before = this.health;
    this.health = health;
    if (JSON.stringify(before) !== JSON.stringify(health)) this.context.emit('health', healthView(health));
    if (this.usage.level === 'exceeded' && this.config.quota_policy === 'disconnect') return;
    await this.ladder.evaluate(health);
  }

  private followDevice(snapshot: ModemSnapshot): void {
    if (this.config.device) return;
    const bearerDevice = snapshot.bearers.find((bearer) => bearer.connected && bearer.interface)?.interface;
    if (bearerDevice && bearerDevice !== this.device) {
      this.device = bearerDevice;
      this.prober.setDevice(bearerDevice);
    }
  }

  private emitChanges(previous: ModemSnapshot | undefined, current: ModemSnapshot): void {
    const before = previous?.modem;
    const now = current.modem;
    if (before?.state !== now.state || before?.failedReason !== now.failedReason) {
      this.context.emit('state', { state: now.state, previous: before?.state ?? null, failed_reason: now.failedReason });
    }
    if (before?.registration !== now.registration) this.context.emit('registration', { registration: now.registration, operator: now.operatorName });
    if (before?.lock !== now.lock || (before?.simPath ?? null) !== (now.simPath ?? null)) {
      this.context.emit('sim', { present: now.simPath !== null, lock: now.lock, unlock_retries: { ...now.unlockRetries } });
    }
  }

  private async countUsage(snapshot: ModemSnapshot): Promise<void> {
    const bearer = snapshot.bearers.find((item) => item.connected);
    let rx = bearer?.stats.bytesRx ?? null;
    let tx = bearer?.stats.bytesTx ?? null;
    if ((rx === null || tx === null) && this.device) {
      const read = (name: string) => readFile(`/sys/class/net/${this.device}/statistics/${name}`, 'utf8').then(Number, () => null);
      [rx, tx] = await Promise.all([read('rx_bytes'), read('tx_bytes')]);
    }
    if (rx === null || tx === null) return;
    const now = this.clock.now();
    const transition = this.usage.record(rx, tx, now);
    if (transition) {
      this.context.emit('quota', { level: transition.level, used_bytes: transition.used, quota_bytes: transition.quota, policy: this.config.quota_policy });
      this.context.log.warn(`LTE data quota ${transition.level}`, { used_bytes: transition.used, quota_bytes: transition.quota });
      if (transition.level === 'exceeded' && this.config.quota_policy === 'disconnect' && this.tracker.currentIndex !== undefined) {
        await this.mmcli.simpleDisconnect(this.tracker.currentIndex).catch((error: Error) => this.context.log.error('quota disconnect failed', { error: error.message }));
      }
      this.applyTelemetryMode();
    }
    if (now - this.lastUsageSave >= this.config.usage_save_interval * 1000) {
      this.lastUsageSave = now;
      await this.usage.save().catch((error: Error) => this.context.log.warn('cannot save usage', { error: error.message }));
    }
  }

  private applyTelemetryMode(): void {
    const onLte = this.failover.active === 'lte';
    const exceeded = this.usage.level === 'exceeded';
    if (exceeded && this.config.quota_policy === 'stop-non-critical') this.modeSwitch.want('critical-only');
    else if (exceeded || (onLte && this.config.data_saving_on_lte)) this.modeSwitch.want('data-saving');
    else this.modeSwitch.want('normal');
  }

  private onFailover(event: FailoverEvent): void {
    this.context.emit(event.kind, { ...event });
    this.applyTelemetryMode();
  }

  private onLadderEntry(entry: HistoryEntry): void {
    this.context.emit(entry.kind === 'action' ? 'action' : entry.kind, { ...entry });
  }

  /** Writes the step run times (one write at a time); never rejects. */
  private saveLadder(): Promise<void> {
    const state = { run_times: this.ladder?.actionTimes() ?? {} };
    const file = this.ladderFile();
    this.ladderSave = this.ladderSave.then(() => writeStateFile(file, state))
      .catch((error: Error) => this.context.log.warn('cannot save ladder state', { error: error.message }));
    return this.ladderSave;
  }
}
