export interface DnsCheck {
  at: number;
  ok: boolean;
  /** The servers asked, through this uplink. */
  servers: string[];
  addresses?: string[];
  error?: string;
}

export type DnsLookup = (name: string, servers: string[], localAddress: string, timeoutMs: number) => Promise<string[]>;

/** Asks this uplink's resolvers from its own address (policy routing keeps the query on the uplink). */
export const lookupThrough: DnsLookup = async (name, servers, localAddress, timeoutMs) => {
  // Loaded on first use: a watchdog without uplink_dns_name never needs the c-ares resolver.
  const { Resolver } = await import('node:dns/promises');
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setLocalAddress(localAddress);
  resolver.setServers(servers);
  return resolver.resolve4(name);
};

export async function checkUplinkDns(name: string, servers: string[], localAddress: string | undefined, timeoutMs: number, lookup: DnsLookup = lookupThrough): Promise<DnsCheck> {
  const at = Date.now();
  if (!servers.length) return { at, ok: false, servers, error: 'no DNS servers for this uplink' };
  if (!localAddress) return { at, ok: false, servers, error: 'uplink has no IPv4 address' };
  try {
    const addresses = await lookup(name, servers, localAddress, timeoutMs);
    return { at, ok: addresses.length > 0, servers, addresses };
  } catch (error) {
    return { at, ok: false, servers, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}
