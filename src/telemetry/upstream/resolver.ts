import { lookup, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { readResolvAuto } from '../../lib/net/resolv-auto.js';

export interface ResolvedUpstream {
  address: string;
  /** `address` (the host is an IP), `system`, `interface <name>` (that uplink's resolvers) or `last-known-good`. */
  source: string;
}

export interface UpstreamResolverOptions {
  host: string;
  /** netifd's per-interface resolvers (resolv.conf.auto). */
  resolvFile: string;
  timeoutMs: number;
  lookupSystem?: (host: string) => Promise<string>;
  lookupVia?: (host: string, servers: string[], timeoutMs: number) => Promise<string[]>;
}

const systemLookup = async (host: string) => (await lookup(host, { family: 4 })).address;

const lookupVia = async (host: string, servers: string[], timeoutMs: number) => {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers(servers);
  return resolver.resolve4(host);
};

/**
 * The upstream's address before each connect: the system resolver first; when it fails, each uplink's
 * own resolvers (the LTE carrier's DNS may answer while the WAN's does not); when every one fails,
 * the last address that worked, so a DNS outage does not stop delivery. The TLS session still checks
 * the certificate against the host name (the session sets it as servername).
 */
export class UpstreamResolver {
  last: ResolvedUpstream | undefined;
  lastError = '';
  private lastKnownGood: string | undefined;

  constructor(private readonly options: UpstreamResolverOptions) {}

  async resolve(): Promise<ResolvedUpstream> {
    const { host } = this.options;
    if (isIP(host)) return this.remember({ address: host, source: 'address' });
    const errors: string[] = [];
    try {
      return this.remember({ address: await (this.options.lookupSystem ?? systemLookup)(host), source: 'system' });
    } catch (error) {
      errors.push(`system: ${describe(error)}`);
    }
    const perInterface = await readResolvAuto(this.options.resolvFile).catch((error: Error) => { errors.push(`${this.options.resolvFile}: ${error.message}`); return new Map<string, string[]>(); });
    for (const [name, servers] of perInterface) {
      if (!servers.length) continue;
      try {
        const [address] = await (this.options.lookupVia ?? lookupVia)(host, servers, this.options.timeoutMs);
        if (address) return this.remember({ address, source: `interface ${name}` }, errors);
      } catch (error) {
        errors.push(`${name}: ${describe(error)}`);
      }
    }
    this.lastError = errors.join('; ');
    if (this.lastKnownGood) return (this.last = { address: this.lastKnownGood, source: 'last-known-good' });
    throw new Error(`cannot resolve ${host}: ${this.lastError}`);
  }

  private remember(resolved: ResolvedUpstream, errors: string[] = []): ResolvedUpstream {
    this.lastKnownGood = resolved.address;
    this.lastError = errors.join('; ');
    this.last = resolved;
    return resolved;
  }
}

function describe(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
