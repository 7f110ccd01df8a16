/** What the file system under the queue offers: free space, and whether it survives a power cut. */
import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { QueueError } from './errors.js';

/** statfs f_type of the file systems that live in RAM (linux/magic.h). */
const RAM_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([[0x01021994, 'tmpfs'], [0x858458f6, 'ramfs']]);

export interface FileSystemInfo {
  /** Bytes an unprivileged writer may still use (f_bavail x f_bsize). */
  freeBytes: number;
  totalBytes: number;
  /** false on tmpfs/ramfs: a power cut or reboot loses everything in it. */
  durable: boolean;
  /** `tmpfs`, `ramfs` or the statfs type in hex. */
  type: string;
}

export function fileSystemInfo(dir: string): FileSystemInfo {
  const stats = statfsSync(dir);
  const ram = RAM_FILE_SYSTEMS.get(stats.type);
  return {
    freeBytes: stats.bavail * stats.bsize,
    totalBytes: stats.blocks * stats.bsize,
    durable: ram === undefined,
    type: ram ?? `0x${stats.type.toString(16)}`,
  };
}

/**
 * `mountPoint` must be mounted (its device differs from its parent's) and hold `dir`, so a queue meant
 * for an SSD never writes into the flash overlay under an empty mount point.
 */
export function checkMounted(mountPoint: string, dir: string): void {
  if (!(dir === mountPoint || dir.startsWith(`${mountPoint}/`))) {
    throw new QueueError('not-mounted', `queue directory ${dir} is not inside its mount point ${mountPoint}`);
  }
  let own: number;
  let parent: number;
  try {
    own = statSync(mountPoint).dev;
    parent = statSync(dirname(mountPoint)).dev;
  } catch (error) {
    throw new QueueError('not-mounted', `mount point ${mountPoint} of the queue is missing: ${(error as Error).message}`);
  }
  if (own === parent && mountPoint !== '/') {
    throw new QueueError('not-mounted', `mount point ${mountPoint} of the queue is not mounted; holding rather than writing to the file system under it`);
  }
}
