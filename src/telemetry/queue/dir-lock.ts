/** One queue per directory: a LOCK file holding the owner's pid; a dead owner's lock is taken over. */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueError } from './errors.js';

const heldHere = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDirLock(dir: string): void {
  const path = join(dir, 'LOCK');
  if (heldHere.has(path)) throw new QueueError('locked', `queue directory ${dir} is already open in this process`);
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
      throw new QueueError('locked', `queue directory ${dir} is in use by process ${owner}`);
    }
    writeFileSync(path, `${process.pid}\n`);
  }
  heldHere.add(path);
}

export function releaseDirLock(dir: string): void {
  const path = join(dir, 'LOCK');
  if (!heldHere.delete(path)) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone: nothing to release
  }
}
