import { closeSync, openSync, readdirSync, readSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openQueue, peekAll, tempDir, testLog, text } from '../../unit/telemetry-queue/queue-helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const payloadOf = (i: number) => `reading-${String(i).padStart(4, '0')}-${'v'.repeat(30)}`;

/** A closed queue holding `count` telemetry records, in one segment; returns its dir and segment path. */
async function filledQueue(count: number): Promise<{ dir: string; segment: string }> {
  const temp = tempDir('queue-corrupt-');
  cleanups.push(temp.remove);
  const queue = await openQueue(temp.dir);
  for (let i = 0; i < count; i += 10) await queue.append(Array.from({ length: 10 }, (_, j) => ({ priority: 'telemetry' as const, key: 'm', payload: Buffer.from(payloadOf(i + j)) })));
  await queue.close();
  const [name] = readdirSync(temp.dir).filter((file) => file.endsWith('.log'));
  return { dir: temp.dir, segment: join(temp.dir, name) };
}

function patchByte(path: string, offset: number, mutate: (byte: number) => number): void {
  const fd = openSync(path, 'r+');
  const byte = Buffer.alloc(1);
  readSync(fd, byte, 0, 1, offset);
  byte[0] = mutate(byte[0]);
  writeSync(fd, byte, 0, 1, offset);
  closeSync(fd);
}

/** Byte offset of the record holding payloadOf(i) (the payload is unique in the file). */
function offsetOf(path: string, i: number): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(statSync(path).size);
  readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return buf.indexOf(payloadOf(i));
}

describe('DiskQueue recovery from damaged segments', () => {
  it('cuts a record torn mid-write off the tail and keeps every complete record before it', async () => {
    const { dir, segment } = await filledQueue(100);
    truncateSync(segment, statSync(segment).size - 10);
    const queue = await openQueue(dir);
    expect(queue.recovery.truncatedBytes).toBeGreaterThan(0);
    expect(peekAll(queue).map(text)).toEqual(Array.from({ length: 99 }, (_, i) => payloadOf(i)));
    await queue.append([{ priority: 'telemetry', key: 'm', payload: Buffer.from('after-repair') }]);
    await queue.close();
    const again = await openQueue(dir);
    expect(again.recovery).toMatchObject({ truncatedBytes: 0, corruptRegions: 0 });
    expect(peekAll(again).map(text).slice(-2)).toEqual([payloadOf(98), 'after-repair']);
    await again.close();
  });

  it('skips a bit-flipped record mid-segment and resynchronises to recover every record after it', async () => {
    const { dir, segment } = await filledQueue(100);
    patchByte(segment, offsetOf(segment, 50) + 5, (byte) => byte ^ 0x10);
    const queue = await openQueue(dir);
    expect(queue.recovery).toMatchObject({ corruptRegions: 1, truncatedBytes: 0 });
    const expected = Array.from({ length: 100 }, (_, i) => payloadOf(i)).filter((_, i) => i !== 50);
    expect(peekAll(queue).map(text)).toEqual(expected);
    await queue.close();
  });

  it('resynchronises when the damaged byte is a length field', async () => {
    const { dir, segment } = await filledQueue(100);
    const header = offsetOf(segment, 30) - 24 - 1; // key "m" is 1 byte
    patchByte(segment, header + 6, () => 0x7f); // body length now absurd
    const queue = await openQueue(dir);
    expect(peekAll(queue).map(text)).toEqual(Array.from({ length: 100 }, (_, i) => payloadOf(i)).filter((_, i) => i !== 30));
    await queue.close();
  });

  it('never throws on random truncations and flips, and recovers an in-order subset', async () => {
    const { dir, segment } = await filledQueue(60);
    const original = statSync(segment).size;
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 25; round++) {
      if (round % 3 === 0) truncateSync(segment, Math.floor(random() * statSync(segment).size));
      else patchByte(segment, Math.floor(random() * Math.max(1, statSync(segment).size)), (byte) => byte ^ (1 << Math.floor(random() * 8)));
      const queue = await openQueue(dir);
      const indexes = peekAll(queue).map((record) => Number(text(record).slice(8, 12)));
      expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
      expect(new Set(indexes).size).toBe(indexes.length);
      await queue.close();
    }
    expect(statSync(segment).size).toBeLessThanOrEqual(original);
  });
});

describe('readings lost with a damaged older segment', () => {
  it('counts the records a cut older segment took with it, with their seqs and times, less those already acknowledged', async () => {
    const temp = tempDir('queue-loss-');
    cleanups.push(temp.remove);
    const { log, lines } = testLog();
    const queue = await openQueue(temp.dir, { segmentBytes: 64 * 1024, log });
    for (let i = 0; i < 3000; i += 100) await queue.append(Array.from({ length: 100 }, (_, j) => ({ priority: 'telemetry' as const, key: 'm', payload: Buffer.from(payloadOf(i + j)) })));
    // The first 10 records were delivered before the damage: losing them loses nothing.
    await queue.ack(queue.peek(10, 1 << 20).map((record) => record.seq));
    await queue.close();
    const segments = readdirSync(temp.dir).filter((file) => file.endsWith('.log')).sort();
    expect(segments.length).toBeGreaterThan(2);
    const first = join(temp.dir, segments[0]!);
    // Cut the oldest segment inside its 5th record (a torn cut, as a failing card leaves): the rest of it is gone.
    truncateSync(first, offsetOf(first, 4) + 4);
    const reopened = await openQueue(temp.dir, { log });
    const survivors = peekAll(reopened).map(text);
    const lostSeqs = 3000 - 10 - survivors.length;
    expect(reopened.recovery.lostRecords).toBe(lostSeqs);
    expect(reopened.recovery.lostRanges).toHaveLength(1);
    const [range] = reopened.recovery.lostRanges;
    expect(range).toMatchObject({ firstSeq: 5, count: lostSeqs });
    expect(range!.lastSeq - range!.firstSeq + 1).toBe(lostSeqs + 6);
    expect(range!.fromMs).toBeLessThanOrEqual(range!.toMs);
    expect(lines.some((line) => line.includes('queued records lost in damaged segments') && line.includes(`${lostSeqs} enqueued`))).toBe(true);
    await reopened.close();
    // Once cut, the damage is repaired: a further restart reports nothing new.
    const again = await openQueue(temp.dir, { log });
    expect(again.recovery.lostRecords).toBe(0);
    await again.close();
  });

  it('a torn tail of the newest segment is not a loss (those appends never completed)', async () => {
    const { dir, segment } = await filledQueue(100);
    truncateSync(segment, statSync(segment).size - 10);
    const queue = await openQueue(dir);
    expect(queue.recovery).toMatchObject({ lostRecords: 0, lostRanges: [] });
    await queue.close();
  });

  it('counts the record a bit flip destroyed mid-segment', async () => {
    const { dir, segment } = await filledQueue(100);
    patchByte(segment, offsetOf(segment, 50) + 5, (byte) => byte ^ 0x10);
    const queue = await openQueue(dir);
    expect(queue.recovery).toMatchObject({ lostRecords: 1, lostRanges: [{ firstSeq: 51, lastSeq: 51, count: 1 }] });
    await queue.close();
  });
});
