import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskFullError, DiskQueue, QueueFullError } from '../../../src/telemetry/queue/index.js';
import { openQueue, peekAll, tempDir, testLog, text } from '../../unit/telemetry-queue/queue-helpers.js';
import { NEEDS_ROOT, itUnless } from '../../helpers/skip.js';

const temp = tempDir('queue-diskfull-');
const mountPoint = join(temp.dir, 'small');
let mounted = false;
const openQueues: Array<{ close(): Promise<void> }> = [];

beforeAll(() => {
  mkdirSync(mountPoint);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch {
    mounted = false;
  }
});
afterAll(async () => {
  for (const queue of openQueues) await queue.close().catch(() => undefined);
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  temp.remove();
});

describe('DiskQueue on a full disk (2 MB tmpfs)', () => {
  itUnless(NEEDS_ROOT, 'rejects with DiskFullError, keeps the data intact and recovers when space returns', async () => {
    expect(mounted, 'mounting a tmpfs needs root').toBe(true);
    const dir = join(mountPoint, 'queue');
    const queue = await openQueue(dir, { maxBytes: 64 * 1024 * 1024, segmentBytes: 256 * 1024 });
    openQueues.push(queue);
    // Another writer takes the space after the queue measured it: the writes themselves find the disk full.
    const filler = join(mountPoint, 'filler');
    writeFileSync(filler, Buffer.alloc(1024 * 1024));
    const accepted: string[] = [];
    let failure: unknown;
    for (let round = 0; round < 2_000 && !failure; round++) {
      const payloads = Array.from({ length: 20 }, (_, j) => `reading-${round * 20 + j}-${'x'.repeat(200)}`);
      const results = await Promise.allSettled(payloads.map((payload, j) => queue.append([{ priority: 'telemetry', key: `m${j % 5}`, payload: Buffer.from(payload) }])));
      results.forEach((result, j) => {
        if (result.status === 'fulfilled') accepted.push(payloads[j]);
        else failure ??= result.reason;
      });
    }
    expect(failure).toBeInstanceOf(DiskFullError);
    expect(queue.stats()).toMatchObject({ state: 'disk-error' });
    expect(queue.stats().lastError).toMatch(/disk full/);
    // Once a write found the disk full the queue re-measures it: a further append is refused up front.
    await expect(queue.append([{ priority: 'telemetry', key: 'm', payload: Buffer.alloc(256 * 1024) }])).rejects.toBeInstanceOf(QueueFullError);
    expect(peekAll(queue).map(text)).toEqual(accepted);
    queue.releaseAll();

    rmSync(filler);
    await queue.append([{ priority: 'telemetry', key: 'm', payload: Buffer.from('after-space-returned') }]);
    expect(queue.stats().state).toBe('ok');
    await queue.close();

    const reopened = await openQueue(dir);
    openQueues.push(reopened);
    expect(reopened.recovery).toMatchObject({ corruptRegions: 0, truncatedBytes: 0 });
    expect(peekAll(reopened).map(text)).toEqual([...accepted, 'after-space-returned']);
    await reopened.close();
  }, 60_000);
});

/** Mounts a tmpfs of `size` under the temp dir for the length of `run`. */
async function onTmpfs(name: string, size: string, run: (mountPoint: string) => Promise<void>): Promise<void> {
  const mountPoint = join(temp.dir, name);
  mkdirSync(mountPoint);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'pipe' });
  try {
    await run(mountPoint);
  } finally {
    execFileSync('umount', ['-l', mountPoint]);
  }
}

/** The upstream takes everything: peek and ack until nothing is pending; returns how many. */
async function deliverAll(queue: DiskQueue): Promise<number> {
  let delivered = 0;
  for (let batch = queue.peek(1000, 1 << 24); batch.length; batch = queue.peek(1000, 1 << 24)) {
    await queue.ack(batch.map((record) => record.seq));
    delivered += batch.length;
  }
  return delivered;
}

describe('DiskQueue on a 20 MB file system with the default 2 GB budget', () => {
  itUnless(NEEDS_ROOT, 'clamps to free space, delivers the backlog, reclaims the finished segments and accepts again, also after a reopen', async () => {
    await onTmpfs('twenty', '20m', async (small) => {
      const dir = join(small, 'queue');
      const { log, lines } = testLog();
      const queue = await DiskQueue.open({ dir, log, fsyncIntervalMs: 1 });
      openQueues.push(queue);
      const capacity = queue.stats().capacity;
      expect(capacity).toMatchObject({ maxBytes: 2 * 1024 ** 3, limitedByDisk: true, durable: false, fileSystem: 'tmpfs' });
      expect(capacity.limitBytes).toBeLessThan(20 * 1024 * 1024);
      expect(capacity.floorBytes).toBe(1024 * 1024);
      expect(lines.some((line) => line.includes('RAM file system'))).toBe(true);
      let accepted = 0;
      let refusal: unknown;
      while (!refusal) {
        const batch = Array.from({ length: 500 }, (_, i) => ({ priority: 'telemetry' as const, key: `m${i % 7}`, payload: Buffer.from(`reading-${accepted + i}-${'x'.repeat(200)}`) }));
        await queue.append(batch).then(() => { accepted += batch.length; }, (error: unknown) => { refusal = error; });
      }
      expect(refusal).toBeInstanceOf(QueueFullError);
      expect(String((refusal as Error).message)).toContain('limited by free disk space');
      expect(queue.stats().segments).toBeGreaterThan(4);
      // The upstream returns: everything is delivered.
      expect(await deliverAll(queue)).toBe(accepted);
      await queue.append([{ priority: 'telemetry', key: 'm', payload: Buffer.from('after-delivery') }]);
      await expect.poll(() => queue.stats().diskBytes, { timeout: 20_000 }).toBeLessThan(capacity.limitBytes / 4);
      expect(queue.stats().state).toBe('ok');
      await queue.close();

      const reopened = await DiskQueue.open({ dir, log, fsyncIntervalMs: 1 });
      openQueues.push(reopened);
      expect(peekAll(reopened).map(text)).toEqual(['after-delivery']);
      await reopened.append(Array.from({ length: 500 }, (_, i) => ({ priority: 'telemetry' as const, key: 'm', payload: Buffer.from(`again-${i}`) })));
      await reopened.close();
    });
  }, 120_000);

  itUnless(NEEDS_ROOT, 'an idle only segment filled to the last byte is restarted in place when the disk has no room for a new one', async () => {
    await onTmpfs('tiny', '1m', async (tiny) => {
      const dir = join(tiny, 'queue');
      // A budget and segment size the disk cannot hold, as with a queue made before the disk shrank.
      const queue = await DiskQueue.open({ dir, log: testLog().log, fsyncIntervalMs: 1, minFreeBytes: 0, maxBytes: 64 * 1024 * 1024, segmentBytes: 32 * 1024 * 1024 });
      openQueues.push(queue);
      writeFileSync(join(tiny, 'filler'), Buffer.alloc(256 * 1024));
      let refusal: unknown;
      for (let i = 0; !refusal; i++) {
        await queue.append([{ priority: 'telemetry', key: 'm', payload: Buffer.alloc(4096, i % 256) }]).catch((error: unknown) => { refusal = error; });
      }
      expect(refusal).toBeInstanceOf(DiskFullError);
      await deliverAll(queue);
      await queue.append([{ priority: 'telemetry', key: 'm', payload: Buffer.from('fits again') }]);
      expect(queue.stats().segments).toBe(1);
      expect(queue.stats().diskBytes).toBeLessThan(64 * 1024);
      expect(peekAll(queue).map(text)).toEqual(['fits again']);
      await queue.close();
    });
  }, 60_000);
});

describe('queue on a mount point', () => {
  itUnless(NEEDS_ROOT, 'refuses to open (and creates nothing) while the mount point is not mounted, opens once it is', async () => {
    const ssd = join(temp.dir, 'ssd');
    mkdirSync(ssd);
    const dir = join(ssd, 'smartgrid');
    await expect(DiskQueue.open({ dir, mountPoint: ssd, log: testLog().log })).rejects.toMatchObject({ code: 'not-mounted', message: expect.stringContaining(`mount point ${ssd} of the queue is not mounted`) });
    expect(existsSync(dir)).toBe(false);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', ssd], { stdio: 'pipe' });
    try {
      const queue = await DiskQueue.open({ dir, mountPoint: ssd, log: testLog().log });
      await queue.close();
      await expect(DiskQueue.open({ dir: '/elsewhere/q', mountPoint: ssd, log: testLog().log })).rejects.toMatchObject({ code: 'not-mounted' });
    } finally {
      execFileSync('umount', ['-l', ssd]);
    }
  });
});
