import { afterEach, describe, expect, it } from 'vitest';
import { QueueFullError, type DiskQueue } from '../../../src/telemetry/queue/index.js';
import { openQueue, peekAll, tempDir, text } from './queue-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fresh(extra: Parameters<typeof openQueue>[1] = {}): Promise<{ queue: DiskQueue; dir: string }> {
  const temp = tempDir();
  cleanups.push(temp.remove);
  const queue = await openQueue(temp.dir, extra);
  cleanups.push(() => queue.close());
  return { queue, dir: temp.dir };
}

const tele = (key: string, value: string) => ({ priority: 'telemetry' as const, key, payload: Buffer.from(value) });

describe('DiskQueue ordering, ack and release', () => {
  it('serves alarms, then events, then telemetry, each class in append (per-key) order', async () => {
    const { queue } = await fresh();
    await queue.append([tele('m1', 't1'), tele('m2', 't2')]);
    await queue.append([{ priority: 'alarm', key: 'm1', payload: Buffer.from('a1') }, { priority: 'event', key: 'm2', payload: Buffer.from('e1') }]);
    await queue.append([tele('m1', 't3'), { priority: 'alarm', key: 'm2', payload: Buffer.from('a2') }]);
    const batch = queue.peek(100, 1 << 20);
    expect(batch.map(text)).toEqual(['a1', 'a2', 'e1', 't1', 't2', 't3']);
    expect(batch.map((record) => record.priority)).toEqual(['alarm', 'alarm', 'event', 'telemetry', 'telemetry', 'telemetry']);
    expect(batch.filter((record) => record.key === 'm1' && record.priority === 'telemetry').map(text)).toEqual(['t1', 't3']);
  });

  it('limits a batch by count and bytes but always returns at least one record', async () => {
    const { queue } = await fresh();
    await queue.append(Array.from({ length: 10 }, (_, i) => tele('m', `reading-${i}`)));
    expect(queue.peek(3, 1 << 20).map(text)).toEqual(['reading-0', 'reading-1', 'reading-2']);
    expect(queue.peek(100, 1).map(text)).toEqual(['reading-3']);
    expect(queue.peek(100, 80).length).toBe(2);
  });

  it('keeps in-flight records out of later batches and gives released ones back first', async () => {
    const { queue } = await fresh();
    await queue.append(Array.from({ length: 6 }, (_, i) => tele('m', `r${i}`)));
    const first = queue.peek(2, 1 << 20);
    const second = queue.peek(2, 1 << 20);
    expect(second.map(text)).toEqual(['r2', 'r3']);
    queue.release(first.map((record) => record.seq));
    expect(queue.peek(10, 1 << 20).map(text)).toEqual(['r0', 'r1', 'r4', 'r5']);
    expect(queue.stats().inFlight).toBe(6);
    queue.releaseAll();
    expect(queue.stats().inFlight).toBe(0);
  });

  it('ack removes records for good, also across a reopen; unacked ones come back', async () => {
    const { queue, dir } = await fresh();
    await queue.append(Array.from({ length: 5 }, (_, i) => tele('m', `r${i}`)));
    const batch = queue.peek(3, 1 << 20);
    await queue.ack([batch[0].seq, batch[2].seq]);
    expect(queue.stats().depth.telemetry).toBe(3);
    await queue.close();
    const reopened = await openQueue(dir);
    cleanups.push(() => reopened.close());
    expect(peekAll(reopened).map(text)).toEqual(['r1', 'r3', 'r4']);
    expect(reopened.recovery).toMatchObject({ live: 3, finished: 2, corruptRegions: 0, truncatedBytes: 0 });
  });

  it('keeps seqs increasing across reopen even when everything was acked', async () => {
    const { queue, dir } = await fresh();
    const seqs = await queue.append([tele('m', 'a'), tele('m', 'b')]);
    await queue.ack(seqs);
    await queue.close();
    const reopened = await openQueue(dir);
    cleanups.push(() => reopened.close());
    const [next] = await reopened.append([tele('m', 'c')]);
    expect(next).toBeGreaterThan(seqs[1]);
  });

  it('rolls segments and deletes them from the front once acked', async () => {
    const { queue } = await fresh({ segmentBytes: 4096 });
    for (let i = 0; i < 40; i++) await queue.append(Array.from({ length: 10 }, (_, j) => tele('m', `${i}-${j}-${'x'.repeat(40)}`)));
    const before = queue.stats();
    expect(before.segments).toBeGreaterThan(5);
    const all = peekAll(queue);
    expect(all).toHaveLength(400);
    await queue.ack(all.map((record) => record.seq));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = queue.stats();
    expect(after.segments).toBe(1);
    expect(after.diskBytes).toBeLessThan(before.diskBytes / 5);
    expect(after.depth.telemetry).toBe(0);
  });

  it('group-commits concurrent appends into few fsyncs', async () => {
    const { queue } = await fresh({ fsyncIntervalMs: 30 });
    await queue.append([tele('m', 'warm-up')]);
    const before = queue.stats().counters.fsyncs;
    await Promise.all(Array.from({ length: 200 }, (_, i) => queue.append([tele(`m${i}`, `v${i}`)])));
    expect(queue.stats().counters.fsyncs - before).toBeLessThanOrEqual(3);
    expect(queue.stats().depth.telemetry).toBe(201);
  });

  it('rejects keys longer than 255 bytes', async () => {
    const { queue } = await fresh();
    await expect(queue.append([tele('k'.repeat(256), 'x')])).rejects.toMatchObject({ code: 'invalid-record' });
  });
});

describe('DiskQueue capacity and age policy', () => {
  const big = (i: number) => 'p'.repeat(900) + i;

  it('refuses telemetry beyond maxBytes - reserve with QueueFullError, lets alarms use the reserve', async () => {
    const { queue } = await fresh({ maxBytes: 64 * 1024, reserveBytes: 16 * 1024, segmentBytes: 8 * 1024 });
    const states: string[] = [];
    queue.on('state', (state: string) => states.push(state));
    let accepted = 0;
    let refusal: unknown;
    for (let i = 0; i < 100 && !refusal; i++) {
      await queue.append([tele('m', big(i))]).then(() => accepted++, (error: unknown) => { refusal = error; });
    }
    expect(refusal).toBeInstanceOf(QueueFullError);
    expect(queue.stats().state).toBe('queue-full');
    expect(states).toContain('queue-full');
    expect(queue.stats().diskBytes).toBeLessThanOrEqual(48 * 1024);
    await queue.append([{ priority: 'alarm', key: 'm', payload: Buffer.from(big(-1)) }]);
    expect(queue.stats().depth).toMatchObject({ alarm: 1, telemetry: accepted });
    // Nothing accepted was lost: every telemetry record is still there.
    expect(peekAll(queue).filter((record) => record.priority === 'telemetry')).toHaveLength(accepted);
  });

  it('lets an alarm evict the oldest telemetry segment when even the reserve is used up', async () => {
    const { queue } = await fresh({ maxBytes: 32 * 1024, reserveBytes: 0, segmentBytes: 4 * 1024 });
    let accepted = 0;
    for (let i = 0; i < 100; i++) {
      const ok = await queue.append([tele('m', big(i))]).then(() => true, () => false);
      if (!ok) break;
      accepted++;
    }
    await queue.append([{ priority: 'alarm', key: 'm', payload: Buffer.from('overheat' + big(-1)) }]);
    const stats = queue.stats();
    expect(stats.counters.evicted).toBeGreaterThan(0);
    expect(stats.depth.telemetry).toBe(accepted - stats.counters.evicted);
    const records = peekAll(queue);
    expect(text(records[0])).toBe('overheat' + big(-1));
    // The evicted ones are the oldest: what is left is the newest tail, in order.
    const left = records.slice(1).map(text);
    expect(left[0]).toBe(big(stats.counters.evicted));
    expect(left[left.length - 1]).toBe(big(accepted - 1));
  });

  it('recovers from queue-full once records are acked', async () => {
    const { queue } = await fresh({ maxBytes: 32 * 1024, reserveBytes: 8 * 1024, segmentBytes: 4 * 1024 });
    for (let i = 0; i < 100; i++) if (!(await queue.append([tele('m', big(i))]).then(() => true, () => false))) break;
    expect(queue.stats().state).toBe('queue-full');
    await queue.ack(queue.peek(100, 1 << 20).map((record) => record.seq));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await queue.append([tele('m', 'after')]);
    expect(queue.stats().state).toBe('ok');
  });

  it('expires records older than maxAgeMs in every class, oldest first', async () => {
    let now = 1_000_000;
    const { queue } = await fresh({ maxAgeMs: 10_000, now: () => now });
    await queue.append([tele('m', 'old'), { priority: 'alarm', key: 'm', payload: Buffer.from('old-alarm') }]);
    now += 6_000;
    await queue.append([tele('m', 'young')]);
    expect(queue.stats().oldestAgeMs).toBe(6_000);
    now += 5_000;
    expect(await queue.expireOld()).toBe(2);
    expect(queue.stats()).toMatchObject({ depth: { alarm: 0, event: 0, telemetry: 1 }, oldestAgeMs: 5_000 });
    expect(queue.stats().counters.expired).toBe(2);
    expect(peekAll(queue).map(text)).toEqual(['young']);
  });
});
