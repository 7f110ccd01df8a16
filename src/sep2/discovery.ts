import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../lib/log.js';
import type { Ubus } from '../lib/ubus/types.js';

/** umdns reads service definitions from /etc/umdns/*.json at start and on `ubus call umdns reload`. */
export const UMDNS_SERVICE_FILE = '/etc/umdns/smartgrid-sep2.json';

/** Function sets announced as DNS-SD subtypes (IEEE 2030.5 §6.4), each as its own umdns entry. */
export const ANNOUNCED_SUBTYPES = ['dcap', 'edev', 'mup', 'tm', 'upt'] as const;

export type DiscoveryState = 'announced' | 'umdns-missing' | 'off' | 'failed';

export interface DiscoveryOptions {
  ubus: Ubus;
  log: Logger;
  serviceFile?: string;
}

/** What umdns announces: `_smartenergy._tcp` with the 2030.5 TXT keys, and one entry per subtype. */
export function umdnsServices(port: number): Record<string, { service: string; port: number; txt: string[] }> {
  const txt = ['txtvers=1', 'dcap=/dcap', `https=${port}`, 'level=-S1'];
  const services: Record<string, { service: string; port: number; txt: string[] }> = {
    smartgrid_sep2: { service: '_smartenergy._tcp.local', port, txt },
  };
  for (const subtype of ANNOUNCED_SUBTYPES) {
    services[`smartgrid_sep2_${subtype}`] = { service: `_${subtype}._sub._smartenergy._tcp.local`, port, txt };
  }
  return services;
}

/**
 * DNS-SD through OpenWrt's umdns: the service file is written (only when its content changes, to spare
 * flash) and umdns is told to reload. Without umdns on ubus nothing is written.
 */
export class Discovery {
  state: DiscoveryState = 'off';

  constructor(private readonly options: DiscoveryOptions) {}

  private get file(): string { return this.options.serviceFile ?? UMDNS_SERVICE_FILE; }

  /** Announce on `port`, or withdraw with undefined. */
  async apply(port: number | undefined): Promise<void> {
    try {
      const present = (await this.options.ubus.lookup('umdns').catch(() => [])).length > 0;
      if (port === undefined) {
        const existed = await rm(this.file).then(() => true, () => false);
        if (existed && present) await this.options.ubus.call('umdns', 'reload');
        this.state = 'off';
        return;
      }
      if (!present) {
        this.state = 'umdns-missing';
        this.options.log.info('umdns is not on ubus: not announcing _smartenergy._tcp (install umdns for DNS-SD)');
        return;
      }
      await this.writeIfChanged(`${JSON.stringify(umdnsServices(port), null, 2)}\n`);
      await this.options.ubus.call('umdns', 'reload');
      this.state = 'announced';
    } catch (error) {
      this.state = 'failed';
      this.options.log.warn('DNS-SD announcement failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async writeIfChanged(content: string): Promise<void> {
    const current = await readFile(this.file, 'utf8').catch(() => undefined);
    if (current === content) return;
    await mkdir(dirname(this.file), { recursive: true });
    await writeFile(this.file, content, { mode: 0o644 });
  }
}
