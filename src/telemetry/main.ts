import schemaJson from '../lib/config/schemas/telemetry.schema.json';
import type { SectionSchema } from '../lib/config/schema-types.js';
import type { ServiceContext } from '../lib/lifecycle.js';
import { runService } from '../lib/run-service.js';
import type { TelemetryConfig } from './config.js';
import { openDiskQueue } from './open-queue.js';
import { TelemetryService } from './service.js';

void runService<TelemetryConfig>({
  name: 'telemetry',
  schema: schemaJson as unknown as SectionSchema,
  create: (context: ServiceContext<TelemetryConfig>) => new TelemetryService(context, openDiskQueue),
  methods: { flush: {}, set_mode: { mode: 'string', reconnect: 'boolean' }, stats: {}, history: { since: 'int64' } },
});
