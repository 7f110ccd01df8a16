import type { SectionSchema } from './config/schema-types.js';
import type { Service, ServiceContext } from './lifecycle.js';
import { runService } from './run-service.js';
import type { UbusArgs } from './ubus/types.js';

type PlaceholderConfig = { enabled: boolean; log_level: string } & Record<string, unknown>;

/** A service not written yet: publishes `smartgrid.<name>` whose `status` says so, and nothing else. */
class PlaceholderService implements Service<PlaceholderConfig> {
  private config: PlaceholderConfig;

  constructor(private readonly context: ServiceContext<PlaceholderConfig>, private readonly name: string, private readonly missing: string) {
    this.config = context.config;
  }

  async start(): Promise<void> {
    this.context.log.notice(`smartgrid-${this.name} is not implemented yet: only the ubus status object is published`);
  }

  async stop(): Promise<void> {}

  async reload(config: PlaceholderConfig): Promise<void> {
    this.config = config;
  }

  status(): UbusArgs {
    return {
      state: 'not-implemented',
      enabled: this.config.enabled,
      message: `smartgrid-${this.name}: ${this.missing} is not implemented in this release`,
    };
  }
}

export function runPlaceholderService(name: string, schema: SectionSchema, missing: string): void {
  void runService<PlaceholderConfig>({ name, schema, create: (context) => new PlaceholderService(context, name, missing) });
}
