import { halowSchema } from '../lib/config/schemas/index.js';
import { runService } from '../lib/run-service.js';
import type { HalowConfig } from './config.js';
import { HALOW_METHODS } from './contract.js';
import { HalowService } from './service.js';

void runService<HalowConfig>({
  name: 'halow',
  schema: halowSchema,
  create: (context) => new HalowService(context),
  methods: HALOW_METHODS,
});
