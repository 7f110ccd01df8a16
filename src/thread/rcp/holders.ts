import { readdir, readlink, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';

export interface PortHolder { pid: number; name: string }

async function openFiles(procRoot: string, pid: string): Promise<string[]> {
  const fds = await readdir(join(procRoot, pid, 'fd')).catch(() => [] as string[]);
  return Promise.all(fds.map((fd) => readlink(join(procRoot, pid, 'fd', fd)).catch(() => '')));
}

/**
 * Processes that have `device` open (from /proc/<pid>/fd), so "busy" can say who holds the port.
 * For a pseudo-terminal, the process that also holds /dev/ptmx is its device end (socat, a terminal,
 * a serial-over-network bridge), not a competing host, and is left out.
 */
export async function findPortHolders(device: string, procRoot = '/proc', selfPid = process.pid): Promise<PortHolder[]> {
  const target = await realpath(device).catch(() => device);
  const isPty = target.startsWith('/dev/pts/');
  const holders: PortHolder[] = [];
  for (const entry of await readdir(procRoot).catch(() => [] as string[])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === selfPid) continue;
    const files = await openFiles(procRoot, entry);
    if (!files.includes(target) || (isPty && files.includes('/dev/ptmx'))) continue;
    const name = (await readFile(join(procRoot, entry, 'comm'), 'utf8').catch(() => '?')).trim();
    holders.push({ pid, name });
  }
  return holders;
}

export function describeHolders(holders: PortHolder[]): string {
  return holders.map((h) => `${h.name} (pid ${h.pid})`).join(', ');
}
