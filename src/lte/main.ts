import { lteSchema } from '../lib/config/schemas/index.js';
import { runService } from '../lib/run-service.js';
import type { LteConfig } from './config.js';
import { LteService } from './service.js';

void runService<LteConfig>({
  name: 'lte',
  schema: lteSchema,
  create: (context) => new LteService(context),
  methods: {
    history: { limit: 'int32' },
    reset: { step: 'string', reason: 'string' },
    probe: {},
  },
});
