import type { Service, ServiceContext } from '../lib/lifecycle.js';
import { UBUS_STATUS, UbusError, type UbusArgs, type UbusMethod } from '../lib/ubus/types.js';
import { UciBatchWriter, type UciWriter } from '../lib/uci/writer.js';
import { systemClock, type Clock } from '../lte/clock.js';
import { ProcessRunner, type CommandRunner } from '../lte/command.js';
import { HostapdCtrl } from './hostapd/ctrl.js';
import { ProfileApplier, type ApplyResult, type ProfileSource } from './apply/applier.js';
import type { HalowConfig } from './config.js';
import type { HalowStatusReply, PlanReply } from './contract.js';
import { securityIssues } from './plan/security.js';
import { resolvePlan, type PlanResult } from './plan/validate.js';
import { loadRegTable, type RegdbLoad } from './regdb/load.js';
import { parseInventory } from './presence/inventory.js';
import { DcuWatch } from './presence/watch.js';
import { renderProfile } from './render/profile.js';
import { channelsView, dcuView, planView, stationsView } from './status-view.js';

export interface HalowDeps {
  /** Where wireless/network/firewall live; default SMARTGRID_UCI_DIR or /etc/config. */
  configDir?: string;
  writer?: UciWriter;
  runner?: CommandRunner;
  clock?: Clock;
}

/** smartgrid-halow: legal radio plan, rendered profile, one debounced apply. */
export class HalowService implements Service<HalowConfig> {
  private config: HalowConfig;
  private regdb!: RegdbLoad;
  private plan!: PlanResult;
  private readonly applier: ProfileApplier;
  private readonly clock: Clock;
  private readonly runner: CommandRunner;
  private watch: DcuWatch | undefined;
  private inventoryError: string | undefined;

  constructor(private readonly context: ServiceContext<HalowConfig>, deps: HalowDeps = {}) {
    this.config = context.config;
    this.clock = deps.clock ?? systemClock;
    this.runner = deps.runner ?? new ProcessRunner();
    const configDir = deps.configDir ?? process.env.SMARTGRID_UCI_DIR ?? '/etc/config';
    this.applier = new ProfileApplier({
      configDir,
      writer: deps.writer ?? new UciBatchWriter({ configDir }),
      runner: this.runner,
      clock: this.clock,
      log: context.log.child('apply'),
      delayMs: this.config.apply_delay,
      source: this.profileSource,
    });
  }

  async start(): Promise<void> {
    await this.build();
  }

  async stop(): Promise<void> {
    await this.applier.stop();
    await this.watch?.stop();
  }

  async reload(config: HalowConfig): Promise<void> {
    this.config = config;
    await this.build();
  }

  private async build(): Promise<void> {
    this.regdb = await loadRegTable(this.context.log.child('regdb'), this.config.regdb_path);
    this.plan = resolvePlan(this.regdb.table, this.config);
    const source = this.profileSource();
    if (!source.ok) for (const issue of source.issues) this.context.log.error(`HaLow plan refused: ${issue.option}: ${issue.message}`);
    if (this.config.auto_apply) void this.applier.request().then((result) => this.announce(result));
    await this.watch?.stop();
    this.watch = this.createWatch();
    await this.watch?.start();
  }

  private createWatch(): DcuWatch | undefined {
    const { config, context } = this;
    this.inventoryError = undefined;
    let dcus;
    try {
      if (config.signal_good <= config.signal_warn) throw new Error(`smartgrid.halow.signal_good (${config.signal_good} dBm) must be above smartgrid.halow.signal_warn (${config.signal_warn} dBm)`);
      dcus = parseInventory(config.dcus);
    } catch (error) {
      this.inventoryError = (error as Error).message;
      context.log.error(this.inventoryError);
      return undefined;
    }
    return new DcuWatch({
      ubus: context.ubus, ifname: config.ifname, dcus, clock: this.clock, log: context.log.child('dcus'), emit: context.emit,
      intervalMs: config.presence_interval * 1000, missingIntervals: config.missing_intervals, signalWarnDbm: config.signal_warn, signalGoodDbm: config.signal_good,
      ctrl: config.hostapd_cli !== 'off' ? new HostapdCtrl({ runner: this.runner, cli: config.hostapd_cli, ctrlDir: config.hostapd_ctrl_dir, ifname: config.ifname }) : undefined,
      mqtt: { host: config.mqtt_host, port: config.mqtt_port, clientId: 'smartgrid-halow', telemetryTopic: config.telemetry_topic },
    });
  }

  private readonly profileSource: ProfileSource = () => {
    const issues = [...(this.plan.ok ? [] : this.plan.issues), ...securityIssues(this.config)];
    if (!this.plan.ok || issues.length > 0) return { ok: false, issues };
    return { ok: true, profile: renderProfile(this.config, this.plan.plan) };
  };

  private announce(result: ApplyResult): void {
    if (result.result === 'applied' || result.result === 'failed') this.context.emit('apply', { result: result.result, changes: result.changes.length, error: result.error ?? null });
  }

  status(): UbusArgs {
    const source = this.profileSource();
    const reply: HalowStatusReply = {
      enabled: this.config.enabled,
      mode: this.config.mode,
      regdb: { source: this.regdb.table.source, countries: this.regdb.table.countries().length, mismatches: this.regdb.mismatches.length },
      plan: this.plan.ok ? planView(this.plan.plan) : null,
      plan_issues: source.ok ? [] : source.issues,
      last_apply: this.applier.last ?? null,
      awaiting_confirm: this.applier.awaitingConfirm,
      bss: { ifname: this.config.ifname, hostapd: this.watch?.hostapdReachable ?? false, control_socket: this.watch?.ctrlReachable ?? false, stations: this.watch?.currentStations.length ?? 0 },
      presence: this.watch ? { ...this.watch.tracker.summary(), broker: this.watch.brokerConnected } : null,
      inventory_error: this.inventoryError ?? null,
    };
    return reply as unknown as UbusArgs;
  }

  private async planReply(dryRun: boolean, rollbackS = 0): Promise<PlanReply> {
    if (!dryRun) {
      const applied = await this.applier.request(rollbackS * 1000);
      this.announce(applied);
      return { ok: applied.result !== 'refused' && applied.result !== 'failed', dry_run: false, plan: this.plan.ok ? planView(this.plan.plan) : null, issues: applied.issues, changes: applied.changes, apply: applied };
    }
    const diff = await this.applier.dryRun();
    return diff.ok
      ? { ok: true, dry_run: true, plan: this.plan.ok ? planView(this.plan.plan) : null, issues: [], changes: diff.diff.lines, apply: null }
      : { ok: false, dry_run: true, plan: null, issues: diff.issues, changes: [], apply: null };
  }

  methods(): Record<string, UbusMethod> {
    return {
      channels: {
        handler: (args) => {
          const country = typeof args.country === 'string' && args.country !== '' ? args.country : this.config.region;
          const view = channelsView(this.regdb.table, country);
          if (!view) throw new UbusError(UBUS_STATUS.INVALID_ARGUMENT, `'${country}' is not a supported country; supported: ${this.regdb.table.countries().join(', ')}`);
          return view as unknown as UbusArgs;
        },
      },
      stations: { handler: () => ({ stations: stationsView(this.watch) }) },
      dcus: { handler: () => ({ dcus: (this.watch?.tracker.all() ?? []).map(dcuView), unknown: this.watch?.tracker.unknownStations().map((station) => station.mac) ?? [] }) },
      plan: { handler: async (args) => (await this.planReply(args.dry_run !== false)) as unknown as UbusArgs },
      apply: { handler: async (args) => (await this.planReply(false, typeof args.rollback === 'number' && args.rollback > 0 ? args.rollback : 0)) as unknown as UbusArgs },
      confirm: {
        handler: () => {
          if (!this.applier.confirm()) throw new UbusError(UBUS_STATUS.NO_DATA, 'no apply is waiting for a confirmation');
          return { confirmed: true };
        },
      },
    };
  }
}
