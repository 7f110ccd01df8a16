import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiskQueue } from '../../../src/telemetry/queue/index.js';
import { openQueue, peekAll, tempDir, text } from './queue-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const reading = (i: number) => ({ priority: 'telemetry' as const, key: `m${i % 3}`, payload: Buffer.from(`r${String(i).padStart(4, '0')}-${'x'.repeat(60)}`) });
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

/** Compaction runs in the background after an ack; on a loaded machine it can take a while. */
async function compactionSettled(queue: DiskQueue, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let unchanged = 0;
  while (unchanged < 3 && Date.now() < deadline) {
    await settle();
    const stats = queue.stats();
    const snapshot = `${stats.counters.compactions}/${stats.diskBytes}/${stats.segments}`;
    unchanged = snapshot === last ? unchanged + 1 : 0;
    last = snapshot;
  }
}

/** 600 records over many 4 KB segments; everything acked except every 50th record, which stays in flight. */
async function sparseQueue(): Promise<{ queue: DiskQueue; dir: string; stuck: string[]; diskBefore: number }> {
  const temp = tempDir('queue-compact-');
  cleanups.push(temp.remove);
  const queue = await openQueue(temp.dir, { segmentBytes: 4096 });
  for (let i = 0; i < 600; i += 20) await queue.append(Array.from({ length: 20 }, (_, j) => reading(i + j)));
  const diskBefore = queue.stats().diskBytes;
  const all = peekAll(queue);
  const stuck = all.filter((_, i) => i % 50 === 0);
  await queue.ack(all.filter((_, i) => i % 50 !== 0).map((record) => record.seq));
  await compactionSettled(queue);
  return { queue, dir: temp.dir, stuck: stuck.map(text), diskBefore };
}

describe('DiskQueue compaction of sparse segments', () => {
  it('rewrites sparse old segments with only their live records and keeps seqs of records in flight', async () => {
    const { queue, stuck, diskBefore } = await sparseQueue();
    cleanups.push(() => queue.close());
    const stats = queue.stats();
    expect(stats.counters.compactions).toBeGreaterThan(5);
    expect(stats.segments).toBeGreaterThan(5); // every stuck record still holds its segment...
    expect(stats.diskBytes).toBeLessThan(diskBefore / 4); // ...but no longer its dead bytes
    expect(stats.inFlight).toBe(stuck.length);
    // The in-flight seqs are still valid: release them and they come back in order, intact.
    queue.releaseAll();
    const again = peekAll(queue);
    expect(again.map(text)).toEqual(stuck);
    await queue.ack(again.map((record) => record.seq));
    await settle();
    expect(queue.stats()).toMatchObject({ segments: 1, depth: { telemetry: 0 } });
  });

  it('a compacted queue reopens with exactly the live records, in order', async () => {
    const { queue, dir, stuck } = await sparseQueue();
    await queue.append([reading(9999)]);
    await queue.close();
    const reopened = await openQueue(dir, { segmentBytes: 4096 });
    cleanups.push(() => reopened.close());
    expect(reopened.recovery).toMatchObject({ live: stuck.length + 1, corruptRegions: 0, truncatedBytes: 0 });
    expect(peekAll(reopened).map(text)).toEqual([...stuck, text({ ...reading(9999), seq: 0, enqueuedAt: 0 })]);
  });

  it('discards the temporary file of a compaction interrupted by a crash and keeps the original', async () => {
    const temp = tempDir('queue-compact-');
    cleanups.push(temp.remove);
    const queue = await openQueue(temp.dir, { segmentBytes: 4096 });
    await queue.append(Array.from({ length: 30 }, (_, i) => reading(i)));
    await queue.close();
    const [segment] = readdirSync(temp.dir).filter((name) => name.endsWith('.log'));
    writeFileSync(join(temp.dir, `${segment}.compacting`), Buffer.from('half-written copy'));
    const reopened = await openQueue(temp.dir, { segmentBytes: 4096 });
    cleanups.push(() => reopened.close());
    expect(readdirSync(temp.dir).filter((name) => name.endsWith('.compacting'))).toEqual([]);
    expect(peekAll(reopened).map(text)).toEqual(Array.from({ length: 30 }, (_, i) => text({ ...reading(i), seq: 0, enqueuedAt: 0 })));
  });

  it('does not compact when turned off', async () => {
    const temp = tempDir('queue-compact-');
    cleanups.push(temp.remove);
    const queue = await openQueue(temp.dir, { segmentBytes: 4096, compactBelowLiveRatio: 0 });
    cleanups.push(() => queue.close());
    for (let i = 0; i < 200; i += 20) await queue.append(Array.from({ length: 20 }, (_, j) => reading(i + j)));
    const all = peekAll(queue);
    await queue.ack(all.slice(1).map((record) => record.seq));
    await settle();
    expect(queue.stats().counters.compactions).toBe(0);
  });
});
