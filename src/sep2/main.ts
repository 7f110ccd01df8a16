import { sep2Schema } from '../lib/config/schemas/index.js';
import { runService } from '../lib/run-service.js';
import type { Sep2Config } from './config.js';
import { SEP2_METHODS } from './contract.js';
import { Sep2Service } from './service.js';

void runService<Sep2Config>({
  name: 'sep2',
  schema: sep2Schema,
  create: (context) => new Sep2Service(context),
  methods: SEP2_METHODS,
});
