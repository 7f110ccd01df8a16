import type { Service, ServiceContext } from '../lib/lifecycle.js';
import { UBUS_STATUS, UbusError, type UbusArgs, type UbusMethod } from '../lib/ubus/types.js';
import type { HalowConfig } from './config.js';
import type { HalowStatusReply } from './contract.js';
import { resolvePlan, type PlanResult } from './plan/validate.js';
import { loadRegTable, type RegdbLoad } from './regdb/load.js';
import { channelsView, planView } from './status-view.js';

/** smartgrid-halow: the HaLow radio's regulatory plan (more parts join it: profiles, stations, DCUs). */
export class HalowService implements Service<HalowConfig> {
  private config: HalowConfig;
  private regdb!: RegdbLoad;
  private plan!: PlanResult;

  constructor(private readonly context: ServiceContext<HalowConfig>) {
    this.config = context.config;
  }

  async start(): Promise<void> {
    await this.build();
  }

  async stop(): Promise<void> {}

  async reload(config: HalowConfig): Promise<void> {
    this.config = config;
    await this.build();
  }

  private async build(): Promise<void> {
    this.regdb = await loadRegTable(this.context.log.child('regdb'), this.config.regdb_path);
    this.plan = resolvePlan(this.regdb.table, this.config);
    if (!this.plan.ok) for (const issue of this.plan.issues) this.context.log.error(`radio plan refused: ${issue.option}: ${issue.message}`);
  }

  status(): UbusArgs {
    const reply: HalowStatusReply = {
      enabled: this.config.enabled,
      mode: this.config.mode,
      regdb: { source: this.regdb.table.source, countries: this.regdb.table.countries().length, mismatches: this.regdb.mismatches.length },
      plan: this.plan.ok ? planView(this.plan.plan) : null,
      plan_issues: this.plan.ok ? [] : this.plan.issues,
    };
    return reply as unknown as UbusArgs;
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
    };
  }
}
