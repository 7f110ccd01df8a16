// smartgrid-thread placeholder: registers ubus `smartgrid.thread` and answers `status` with
// state "not-implemented": the Thread RCP bridge is not written yet, and nothing here pretends to work.
import { threadSchema } from '../lib/config/schemas/index.js';
import type { Service, ServiceContext } from '../lib/lifecycle.js';
import { runService } from '../lib/run-service.js';
import type { UbusArgs } from '../lib/ubus/types.js';

type ThreadConfig = { enabled: boolean; log_level: string } & Record<string, unknown>;

class ThreadPlaceholder implements Service<ThreadConfig> {
  private config: ThreadConfig;

  constructor(private readonly context: ServiceContext<ThreadConfig>) {
    this.config = context.config;
  }

  async start(): Promise<void> {
    this.context.log.notice('smartgrid-thread is not implemented yet: only the ubus status object is published');
  }

  async stop(): Promise<void> {}

  async reload(config: ThreadConfig): Promise<void> {
    this.config = config;
  }

  status(): UbusArgs {
    return {
      state: 'not-implemented',
      enabled: this.config.enabled,
      message: 'smartgrid-thread: the Thread RCP bridge (RCP probe and recovery, otbr-agent network formation, CoAP to MQTT bridge) is not implemented in this release',
    };
  }
}

void runService<ThreadConfig>({
  name: 'thread',
  schema: threadSchema,
  create: (context) => new ThreadPlaceholder(context),
});
