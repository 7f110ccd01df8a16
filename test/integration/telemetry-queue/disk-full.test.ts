import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskFullError } from '../../../src/telemetry/queue/index.js';
import { openQueue, peekAll, tempDir, text } from '../../unit/telemetry-queue/queue-helpers.js';
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
    const filler = join(mountPoint, 'filler');
    writeFileSync(filler, Buffer.alloc(1024 * 1024));
    const dir = join(mountPoint, 'queue');
    const queue = await openQueue(dir, { maxBytes: 64 * 1024 * 1024, segmentBytes: 256 * 1024 });
    openQueues.push(queue);
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
    await expect(queue.append([{ priority: 'alarm', key: 'm', payload: Buffer.alloc(256 * 1024) }])).rejects.toBeInstanceOf(DiskFullError);
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
