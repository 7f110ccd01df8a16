// smartgrid-halow placeholder: registers ubus `smartgrid.halow` and answers `status` with
// state "not-implemented": the HaLow AP manager is not written yet, and nothing here pretends to work.
import { halowSchema } from '../lib/config/schemas/index.js';
import type { Service, ServiceContext } from '../lib/lifecycle.js';
import { runService } from '../lib/run-service.js';
import type { UbusArgs } from '../lib/ubus/types.js';

type HalowConfig = { enabled: boolean; log_level: string } & Record<string, unknown>;

class HalowPlaceholder implements Service<HalowConfig> {
  private config: HalowConfig;

  constructor(private readonly context: ServiceContext<HalowConfig>) {
    this.config = context.config;
  }

  async start(): Promise<void> {
    this.context.log.notice('smartgrid-halow is not implemented yet: only the ubus status object is published');
  }

  async stop(): Promise<void> {}

  async reload(config: HalowConfig): Promise<void> {
    this.config = config;
  }

  status(): UbusArgs {
    return {
      state: 'not-implemented',
      enabled: this.config.enabled,
      message: 'smartgrid-halow: the HaLow AP manager (S1G channel plans, AP/STA/mesh profiles, WPA3-SAE, DCU monitoring) is not implemented in this release',
    };
  }
}

void runService<HalowConfig>({
  name: 'halow',
  schema: halowSchema,
  create: (context) => new HalowPlaceholder(context),
});
