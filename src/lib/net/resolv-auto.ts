import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';

/** Where netifd writes every interface's DNS servers on OpenWrt (dnsmasq reads it). */
export const RESOLV_AUTO_FILE = '/tmp/resolv.conf.d/resolv.conf.auto';

/**
 * Parses netifd's resolv.conf.auto: a `# Interface <name>` line opens each interface's block of
 * `nameserver` lines. Returns the IPv4 servers per netifd interface, in file order.
 */
export function parseResolvAuto(text: string): Map<string, string[]> {
  const servers = new Map<string, string[]>();
  let current: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^#\s*Interface\s+(\S+)/.exec(line);
    if (header) {
      current = header[1]!;
      if (!servers.has(current)) servers.set(current, []);
      continue;
    }
    const server = /^nameserver\s+(\S+)/.exec(line)?.[1];
    if (current && server && isIPv4(server)) servers.get(current)!.push(server);
  }
  return servers;
}

/** The file's servers per interface; an absent file means no interface has DNS servers yet. */
export async function readResolvAuto(file: string): Promise<Map<string, string[]>> {
  try {
    return parseResolvAuto(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
}
