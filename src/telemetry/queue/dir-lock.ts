/**
 * One queue per directory: an exclusive flock(2) on `dir/LOCK`, held for the queue's life by a small
 * `flock` child (busybox applet on OpenWrt, util-linux elsewhere; node has no flock). The kernel drops
 * the lock when its holder dies: after a kill -9 or a power cut no stale lock survives, and a pid left
 * in the file (pid reuse) means nothing. The pid written there is for people only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueError } from './errors.js';

const heldHere = new Set<string>();
const READY = 'smartgrid-lock-held';
const LOCK_ATTEMPTS = 10;

export interface DirLock {
  release(): Promise<void>;
}

export interface DirLockOptions {
  /** The holder died while the queue was open (someone killed it): the directory is unprotected. */
  onLost?(): void;
  /** For tests: another `flock` program. */
  command?: string;
}

export async function acquireDirLock(dir: string, options: DirLockOptions = {}): Promise<DirLock> {
  const path = join(dir, 'LOCK');
  if (heldHere.has(path)) throw new QueueError('locked', `queue directory ${dir} is already open in this process`);
  heldHere.add(path);
  try {
    const holder = await holderWithin(path, dir, options.command ?? 'flock');
    writeFileSync(path, `${process.pid}\n`);
    return holdUntilReleased(holder, path, options);
  } catch (error) {
    heldHere.delete(path);
    throw error;
  }
}

/**
 * A holder that died a moment ago (kill -9, then procd's respawn) may still be exiting: a lock that is
 * taken is tried again for about a second before the open fails (busybox flock has no -w).
 */
async function holderWithin(path: string, dir: string, command: string): Promise<ChildProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startHolder(path, dir, command);
    } catch (error) {
      if (attempt >= LOCK_ATTEMPTS || !(error instanceof QueueError && error.message.includes('locked by another'))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** `flock -n LOCK sh -c 'echo READY; exec cat'`: the lock lasts until our end of cat's stdin closes. */
function startHolder(path: string, dir: string, command: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['-n', '-x', path, 'sh', '-c', `echo ${READY}; exec cat >/dev/null`], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY)) resolve(child);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? `'${command}' not found (busybox flock applet or util-linux)` : error.message;
      reject(new QueueError('locked', `cannot lock queue directory ${dir}: ${why}`));
    });
    child.on('exit', (code) => {
      if (output.includes(READY)) return;
      const owner = lastOwner(path);
      reject(new QueueError('locked', code === 1
        ? `queue directory ${dir} is locked by another running forwarder${owner ? ` (pid ${owner} wrote LOCK)` : ''}`
        : `cannot lock queue directory ${dir}: flock exited with ${String(code)} ${stderr.trim()}`));
    });
  });
}

function holdUntilReleased(holder: ChildProcess, path: string, options: DirLockOptions): DirLock {
  let releasing = false;
  const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
  void exited.then(() => { if (!releasing) options.onLost?.(); });
  holder.unref();
  for (const stream of [holder.stdin, holder.stdout, holder.stderr]) (stream as unknown as { unref?(): void } | null)?.unref?.();
  return {
    async release() {
      if (releasing) return exited;
      releasing = true;
      holder.ref(); // keep the process alive until the holder is gone (it is unref'd while held)
      holder.stdin?.end();
      await exited;
      heldHere.delete(path);
    },
  };
}

function lastOwner(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
