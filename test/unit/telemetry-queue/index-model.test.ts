// Drives the queue with random appends, peeks, out-of-order acks, releases and reopens and checks every
// answer against a plain model (a map of live records), so the run-length index is checked where it
// splits and merges runs.
import { afterEach, describe, expect, it } from 'vitest';
import type { DiskQueue, Priority, QueueRecord } from '../../../src/telemetry/queue/index.js';
import { openQueue, tempDir, text } from './queue-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ORDER: Priority[] = ['alarm', 'event', 'telemetry'];
interface ModelRecord { seq: number; priority: Priority; payload: string; inFlight: boolean }

describe('DiskQueue index against a model', () => {
  for (const seed of [1, 2, 3]) {
    it(`agrees with the model over 400 random operations (seed ${seed})`, async () => {
      const rand = random(seed);
      const temp = tempDir('queue-model-');
      cleanups.push(temp.remove);
      const options = { segmentBytes: 2048 };
      let queue: DiskQueue = await openQueue(temp.dir, options);
      cleanups.push(() => queue.close());
      const model = new Map<number, ModelRecord>();
      let inFlight: QueueRecord[] = [];
      let n = 0;
      const expectedPending = () => [...model.values()].filter((r) => !r.inFlight).sort((x, y) => ORDER.indexOf(x.priority) - ORDER.indexOf(y.priority) || x.seq - y.seq);

      for (let step = 0; step < 400; step++) {
        const op = rand();
        if (op < 0.35) {
          const records = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => {
            const priority: Priority = rand() < 0.15 ? 'alarm' : rand() < 0.2 ? 'event' : 'telemetry';
            return { priority, key: `m${n % 5}`, payload: Buffer.from(`p${n++}-${'z'.repeat(Math.floor(rand() * 50))}`) };
          });
          const seqs = await queue.append(records);
          seqs.forEach((seq, i) => model.set(seq, { seq, priority: records[i].priority, payload: records[i].payload.toString(), inFlight: false }));
        } else if (op < 0.6) {
          const max = 1 + Math.floor(rand() * 12);
          const batch = queue.peek(max, 1 << 20);
          const want = expectedPending().slice(0, max);
          expect(batch.map((r) => [Number(r.seq), r.priority, text(r)])).toEqual(want.map((r) => [r.seq, r.priority, r.payload]));
          for (const r of batch) (model.get(Number(r.seq)) as ModelRecord).inFlight = true;
          inFlight.push(...batch);
        } else if (op < 0.8 && inFlight.length) {
          const chosen = inFlight.filter(() => rand() < 0.5);
          await queue.ack(chosen.map((r) => r.seq).reverse());
          for (const r of chosen) model.delete(Number(r.seq));
          inFlight = inFlight.filter((r) => !chosen.includes(r));
        } else if (op < 0.92 && inFlight.length) {
          const chosen = inFlight.filter(() => rand() < 0.4);
          queue.release(chosen.map((r) => r.seq));
          for (const r of chosen) (model.get(Number(r.seq)) as ModelRecord).inFlight = false;
          inFlight = inFlight.filter((r) => !chosen.includes(r));
        } else if (op < 0.97) {
          await queue.close();
          queue = await openQueue(temp.dir, options);
          for (const r of model.values()) r.inFlight = false;
          inFlight = [];
        } else {
          queue.releaseAll();
          for (const r of model.values()) r.inFlight = false;
          inFlight = [];
        }
        const stats = queue.stats();
        for (const priority of ORDER) expect(stats.depth[priority]).toBe([...model.values()].filter((r) => r.priority === priority).length);
        expect(stats.inFlight).toBe(inFlight.length);
        if (model.size === 0) expect(stats.bytes).toBe(0);
      }
      queue.releaseAll();
      for (const r of model.values()) r.inFlight = false;
      const rest = queue.peek(100_000, 1 << 30);
      expect(rest.map((r) => [Number(r.seq), text(r)])).toEqual(expectedPending().map((r) => [r.seq, r.payload]));
      expect(queue.stats().bytes).toBe(rest.reduce((sum, r) => sum + 24 + Buffer.byteLength(r.key) + r.payload.length, 0));
    });
  }
});
