import { halowSchema } from '../lib/config/schemas/index.js';
import { runService } from '../lib/run-service.js';
import type { HalowConfig } from './config.js';
import { HALOW_METHODS } from './contract.js';
import { runPlanCli } from './planner/cli.js';
import { HalowService } from './service.js';

// `smartgrid-halow plan ...` is the placement planner; without arguments this is the daemon.
if (process.argv[2] === 'plan') {
  process.exitCode = runPlanCli(process.argv.slice(3));
} else {
  void runService<HalowConfig>({
    name: 'halow',
    schema: halowSchema,
    create: (context) => new HalowService(context),
    methods: HALOW_METHODS,
  });
}
