import { afterEach, describe, expect, it } from 'vitest';
import type { DiskQueue } from '../../../src/telemetry/queue/index.js';
import { openQueue, tempDir } from './queue-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const cleanup of cleanups.splice(0).reverse()) await cleanup(); });

async function filled(): Promise<DiskQueue> {
  const tmp = tempDir();
  const queue = await openQueue(tmp.dir, { segmentBytes: 64 * 1024 });
  cleanups.push(tmp.remove, () => queue.close());
  const records = Array.from({ length: 3000 }, (_, i) => ({ priority: (i % 97 === 0 ? 'alarm' : i % 13 === 0 ? 'event' : 'telemetry') as 'alarm' | 'event' | 'telemetry', key: `mé${i % 7}`, payload: Buffer.from(`{"ts":${i},"v":"${'x'.repeat(i % 40)}"}`) }));
  for (let i = 0; i < records.length; i += 250) await queue.append(records.slice(i, i + 250));
  return queue;
}

describe('DiskQueue.peekEach (zero-copy read-back)', () => {
  it('hands out exactly what peek would, in the same order and limits, and puts them in flight', async () => {
    const byPeek = await filled();
    const byVisit = await filled();
    for (;;) {
      const expected = byPeek.peek(100, 4000).map((r) => [r.seq, r.priority, r.key, r.payload.toString()]);
      const seen: unknown[] = [];
      const count = byVisit.peekEach(100, 4000, (seq, priority, key, payload) => seen.push([seq, priority, key, payload.toString()]));
      expect(seen).toEqual(expected);
      expect(count).toBe(expected.length);
      expect(byVisit.stats().inFlight).toBe(byPeek.stats().inFlight);
      if (count === 0) break;
    }
    expect(byVisit.stats().inFlight).toBe(3000);
  });

  it('released records come back through peekEach in their original order; acks remove them', async () => {
    const queue = await filled();
    const first: number[] = [];
    queue.peekEach(500, 1e9, (seq) => first.push(seq));
    queue.release(first.slice(200));
    await queue.ack(first.slice(0, 200));
    const again: number[] = [];
    queue.peekEach(300, 1e9, (seq) => again.push(seq));
    expect(again).toEqual(first.slice(200));
    expect(queue.stats().depth.alarm + queue.stats().depth.event + queue.stats().depth.telemetry).toBe(2800);
  });
});
