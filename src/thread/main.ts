import { threadSchema } from '../lib/config/schemas/index.js';
import { runService } from '../lib/run-service.js';
import type { ThreadConfig } from './config.js';
import { THREAD_METHODS } from './contract.js';
import { ThreadService } from './service.js';

void runService<ThreadConfig>({
  name: 'thread',
  schema: threadSchema,
  create: (context) => new ThreadService(context),
  methods: THREAD_METHODS,
});
