import { readdir, readlink, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';

export interface PortHolder { pid: number; name: string }

/** Processes that have `device` open (from /proc/<pid>/fd), so "busy" can say who holds the port. */
export async function findPortHolders(device: string, procRoot = '/proc', selfPid = process.pid): Promise<PortHolder[]> {
  const target = await realpath(device).catch(() => device);
  const holders: PortHolder[] = [];
  for (const entry of await readdir(procRoot).catch(() => [] as string[])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === selfPid) continue;
    const fds = await readdir(join(procRoot, entry, 'fd')).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(join(procRoot, entry, 'fd', fd)).catch(() => '');
      if (link !== target) continue;
      const name = (await readFile(join(procRoot, entry, 'comm'), 'utf8').catch(() => '?')).trim();
      holders.push({ pid, name });
      break;
    }
  }
  return holders;
}

export function describeHolders(holders: PortHolder[]): string {
  return holders.map((h) => `${h.name} (pid ${h.pid})`).join(', ');
}
