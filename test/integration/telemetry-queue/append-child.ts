// Child process for the kill -9 test: appends and drains in a loop and reports on stdout only what
// the queue has confirmed. Lines: "A <ids>" appended (fsync'd), "P <ids>" peeked, "K <ids>" acked (fsync'd).
import { createLogger } from '../../../src/lib/log.js';
import { DiskQueue } from '../../../src/telemetry/queue/index.js';

const [dir, startArg] = process.argv.slice(2);
let nextId = Number(startArg);
const log = createLogger({ name: 'append-child', level: 'error', sink: (line) => process.stderr.write(line + '\n') });
const queue = await DiskQueue.open({ dir, log, fsyncIntervalMs: 5, segmentBytes: 64 * 1024 });
process.stdout.write('READY\n');

async function producer(): Promise<void> {
  for (;;) {
    const ids = Array.from({ length: 1 + (nextId % 5) }, () => nextId++);
    await queue.append(ids.map((id) => ({ priority: id % 7 === 0 ? 'alarm' : 'telemetry', key: `m${id % 13}`, payload: Buffer.from(`id:${id}`) })));
    process.stdout.write(`A ${ids.join(' ')}\n`);
  }
}

async function consumer(): Promise<void> {
  for (;;) {
    const batch = queue.peek(20, 1 << 20);
    if (batch.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      continue;
    }
    const ids = batch.map((record) => record.payload.toString().slice(3));
    process.stdout.write(`P ${ids.join(' ')}\n`);
    await queue.ack(batch.map((record) => record.seq));
    process.stdout.write(`K ${ids.join(' ')}\n`);
  }
}

await Promise.all([...Array.from({ length: 8 }, producer), consumer()]);
