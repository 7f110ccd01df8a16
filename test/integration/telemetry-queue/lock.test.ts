import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskQueue } from '../../../src/telemetry/queue/index.js';
import { acquireDirLock } from '../../../src/telemetry/queue/dir-lock.js';
import { requireTool } from '../../helpers/tools.js';
import { testLog } from '../../unit/telemetry-queue/queue-helpers.js';
import { queueChildFixture, runQueueChild } from './queue-child.js';

const fixture = queueChildFixture('queue-lock-', 'append-child');
const openClose = queueChildFixture('queue-open-close-', 'open-close-child');

describe('queue directory lock (flock)', () => {
  it('a live pid left in LOCK (pid reuse after a power cut) does not stop the queue from opening', async () => {
    requireTool('flock');
    const dir = join(fixture.queueDir, '..', 'stale');
    const first = await DiskQueue.open({ dir, log: testLog().log });
    await first.close();
    // The pid of a process that is alive but is no forwarder: this test runner's parent.
    writeFileSync(join(dir, 'LOCK'), `${process.ppid}\n`);
    const queue = await DiskQueue.open({ dir, log: testLog().log });
    await queue.append([{ priority: 'telemetry', key: 'm', payload: Buffer.from('after a stale pid') }]);
    await queue.close();
  });

  it('a running forwarder holds the directory; once it is killed -9 the kernel has dropped its lock', async () => {
    requireTool('flock');
    let refusal: unknown;
    let reopened: DiskQueue | undefined;
    await runQueueChild(fixture.bundle, fixture.queueDir, 1, (line, child) => {
      if (line !== 'READY' || refusal) return;
      void DiskQueue.open({ dir: fixture.queueDir, log: testLog().log }).then(
        (queue) => { reopened = queue; child.kill('SIGKILL'); },
        (error: unknown) => { refusal = error; child.kill('SIGKILL'); },
      );
    });
    await reopened?.close();
    expect(refusal).toMatchObject({ code: 'locked', message: expect.stringMatching(/locked by another running forwarder \(pid \d+ wrote LOCK\)/) });
    let after: DiskQueue | undefined;
    await expect.poll(async () => {
      after ??= await DiskQueue.open({ dir: fixture.queueDir, log: testLog().log }).catch(() => undefined);
      return after !== undefined;
    }, { timeout: 20_000 }).toBe(true);
    await after!.append([{ priority: 'telemetry', key: 'm', payload: Buffer.from('after the kill') }]);
    await after!.close();
  });

  it('a process with nothing else to do waits for the lock to be released on close, then exits 0', () => {
    requireTool('flock');
    const run = spawnSync(process.execPath, [openClose.bundle, openClose.queueDir], { encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: 'closed\n' });
  });

  it('without a flock program the open fails naming it', async () => {
    await expect(acquireDirLock(join(fixture.queueDir, '..'), { command: 'no-such-flock-smartgrid' })).rejects.toThrow("'no-such-flock-smartgrid' not found (busybox flock applet or util-linux)");
  });
});
