import { lteSchema } from '../lib/config/schemas/index.js';
import { runService } from '../lib/run-service.js';
import type { LteConfig } from './config.js';
import { LteService } from './service.js';

void runService<LteConfig>({
  name: 'lte',
  schema: lteSchema,
  // SMARTGRID_STATE_ROOT: a staged root (tests, the demo) that state_dir is resolved under; never set by the package.
  create: (context) => new LteService(context, { stateRoot: process.env.SMARTGRID_STATE_ROOT }),
  methods: {
    history: { limit: 'int32' },
    reset: { step: 'string', reason: 'string' },
    probe: {},
    identity: {},
  },
});
