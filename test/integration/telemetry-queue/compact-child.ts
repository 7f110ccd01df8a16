// Child process for the kill -9 during compaction test: appends, acks every record except ids divisible
// by 10 (they stay in flight, so old segments turn sparse and get compacted). Lines: "A <ids>" appended
// (fsync'd), "K <ids>" acked (fsync'd), "S <ids>" stuck (never acked), "C" compaction started, "D" done.
import { createLogger } from '../../../src/lib/log.js';
import { DiskQueue } from '../../../src/telemetry/queue/index.js';

const [dir, startArg] = process.argv.slice(2);
let nextId = Number(startArg);
const log = createLogger({ name: 'compact-child', level: 'error', sink: (line) => process.stderr.write(line + '\n') });
const queue = await DiskQueue.open({ dir, log, fsyncIntervalMs: 2, segmentBytes: 16 * 1024 });
queue.on('compacting', () => process.stdout.write('C\n'));
queue.on('compacted', () => process.stdout.write('D\n'));
process.stdout.write('READY\n');

async function producer(): Promise<void> {
  for (;;) {
    const ids = Array.from({ length: 5 }, () => nextId++);
    await queue.append(ids.map((id) => ({ priority: id % 31 === 0 ? 'event' : 'telemetry', key: `m${id % 7}`, payload: Buffer.from(`id:${id}:${'x'.repeat(id % 40)}`) })));
    process.stdout.write(`A ${ids.join(' ')}\n`);
  }
}

async function consumer(): Promise<void> {
  for (;;) {
    const batch = queue.peek(25, 1 << 20);
    if (batch.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    const idOf = (payload: Buffer) => Number(payload.toString().split(':')[1]);
    const stuck = batch.filter((record) => idOf(record.payload) % 10 === 0);
    const done = batch.filter((record) => idOf(record.payload) % 10 !== 0);
    if (stuck.length) process.stdout.write(`S ${stuck.map((record) => idOf(record.payload)).join(' ')}\n`);
    await queue.ack(done.map((record) => record.seq));
    process.stdout.write(`K ${done.map((record) => idOf(record.payload)).join(' ')}\n`);
  }
}

await Promise.all([producer(), producer(), consumer()]);
