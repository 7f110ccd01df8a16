// Child for the lock test: opens and closes a queue with nothing else keeping node alive; prints "closed".
import { createLogger } from '../../../src/lib/log.js';
import { DiskQueue } from '../../../src/telemetry/queue/index.js';

const queue = await DiskQueue.open({ dir: process.argv[2]!, log: createLogger({ name: 'open-close', level: 'error' }) });
await queue.close();
process.stdout.write('closed\n');
