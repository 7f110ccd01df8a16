// Faults of the WAN as ISPs have them, injected in the lab of netns.ts, and per-interface egress
// counters on the gateway that show which uplink each kind of packet left through.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { UplinkTopology } from './netns.js';
import { requireTool } from './tools.js';

/** Beside this file, or under the working tree when this module runs bundled (bench/). */
const HELPERS_DIR = ((here) => (existsSync(join(here, 'udp-delay-relay.mjs')) ? here : join(process.cwd(), 'test/helpers')))(fileURLToPath(new URL('.', import.meta.url)));
const RELAY = join(HELPERS_DIR, 'udp-delay-relay.mjs');

function iptables(topology: UplinkTopology, ns: string, args: string[]): string {
  requireTool('iptables');
  return topology.exec(ns, ['iptables', '-w', ...args]);
}

/** The ISP router silently drops everything it would forward; the gateway's link and the router stay up. */
export function blackholeWan(topology: UplinkTopology, on: boolean): void {
  iptables(topology, topology.isp, [on ? '-I' : '-D', 'FORWARD', '-m', 'comment', '--comment', 'sg-blackhole', '-j', 'DROP']);
}

/** The ISP router drops `percent` of what it forwards, each way (iptables statistic); 0 removes the rule. */
export function wanLoss(topology: UplinkTopology, percent: number): void {
  try { iptables(topology, topology.isp, ['-D', 'FORWARD', '-m', 'comment', '--comment', 'sg-loss', '-m', 'statistic', '--mode', 'random', '--probability', String(lossProbability.get(topology) ?? 0), '-j', 'DROP']); } catch { /* none yet */ }
  lossProbability.delete(topology);
  if (percent <= 0) return;
  const probability = percent / 100;
  iptables(topology, topology.isp, ['-I', 'FORWARD', '-m', 'comment', '--comment', 'sg-loss', '-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP']);
  lossProbability.set(topology, probability);
}
const lossProbability = new WeakMap<UplinkTopology, number>();

function waitLine(child: ChildProcess, match: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`${what} exited with ${code}`));
    child.once('exit', onExit);
    lines.on('line', (line) => { if (match.test(line)) { child.off('exit', onExit); resolve(); } });
  });
}

export interface DelayElement { setDelay(ms: number): Promise<void> }

/**
 * Moves the ISP's link to the cloud onto a VXLAN overlay whose UDP underlay runs through two userspace
 * relays (one per direction, test/helpers/udp-delay-relay.mjs): the delay element this kernel lacks (no netem).
 */
export async function addWanDelayElement(topology: UplinkTopology): Promise<DelayElement> {
  const { isp, cloud } = topology;
  const ip = (ns: string, args: string[]) => topology.exec(ns, ['ip', ...args]);
  ip(isp, ['link', 'del', 'tocloud']);
  ip(isp, ['link', 'add', 'under', 'type', 'veth', 'peer', 'name', 'cunder', 'netns', cloud]);
  ip(isp, ['addr', 'add', '10.12.0.1/30', 'dev', 'under']);
  ip(cloud, ['addr', 'add', '10.12.0.2/30', 'dev', 'cunder']);
  ip(isp, ['link', 'add', 'tocloud', 'mtu', '1450', 'type', 'vxlan', 'id', '10', 'remote', '10.12.0.2', 'dstport', '4790', 'nolearning']);
  ip(cloud, ['link', 'add', 'cisp', 'mtu', '1450', 'type', 'vxlan', 'id', '10', 'remote', '10.12.0.1', 'dstport', '4791', 'nolearning']);
  ip(isp, ['addr', 'add', '10.11.0.1/30', 'dev', 'tocloud']);
  ip(cloud, ['addr', 'add', '10.11.0.2/30', 'dev', 'cisp']);
  for (const [ns, devs] of [[isp, ['under', 'tocloud']], [cloud, ['cunder', 'cisp']]] as const) for (const dev of devs) ip(ns, ['link', 'set', dev, 'up']);
  // The relays copy the datagrams: inner checksums must be complete before encapsulation (no offload).
  requireTool('ethtool');
  for (const [ns, dev] of [[isp, 'tocloud'], [cloud, 'cisp']] as const) topology.exec(ns, ['ethtool', '-K', dev, 'tx', 'off']);
  ip(isp, ['route', 'replace', 'default', 'via', '10.11.0.2']);
  ip(cloud, ['route', 'replace', '10.10.1.0/24', 'via', '10.11.0.1']);
  const toCloud = topology.spawn(cloud, [process.execPath, RELAY, '10.12.0.2', '4790', '127.0.0.1', '4791']);
  const toIsp = topology.spawn(isp, [process.execPath, RELAY, '10.12.0.1', '4791', '127.0.0.1', '4790']);
  await Promise.all([waitLine(toCloud, /^ready$/, 'the delay relay to the cloud'), waitLine(toIsp, /^ready$/, 'the delay relay to the ISP')]);
  return {
    setDelay: async (ms) => {
      const done = Promise.all([toCloud, toIsp].map((relay) => waitLine(relay, new RegExp(`^delay ${ms}$`), 'a delay relay')));
      for (const relay of [toCloud, toIsp]) relay.stdin!.write(`delay ${ms}\n`);
      await done;
    },
  };
}

/** What left the gateway through which uplink (iptables OUTPUT counters in the gateway namespace). */
export class EgressCounters {
  private static readonly CHAIN = 'sg_egress';

  constructor(private readonly topology: UplinkTopology) {}

  install(): void {
    const { wanAddress, lteAddress } = this.topology;
    const rules: Array<[string, string[]]> = [
      ['wan-from-lte-address', ['-o', 'wan', '-s', lteAddress]],
      ['lte-from-wan-address', ['-o', 'lte', '-s', wanAddress]],
      ['wan-echo', ['-o', 'wan', '-p', 'icmp', '--icmp-type', 'echo-request']],
      ['lte-echo', ['-o', 'lte', '-p', 'icmp', '--icmp-type', 'echo-request']],
      ['wan-mqtt', ['-o', 'wan', '-p', 'tcp', '--dport', '1883']],
      ['lte-mqtt', ['-o', 'lte', '-p', 'tcp', '--dport', '1883']],
      ['wan-dns', ['-o', 'wan', '-p', 'udp', '--dport', '53']],
      ['lte-dns', ['-o', 'lte', '-p', 'udp', '--dport', '53']],
    ];
    iptables(this.topology, this.topology.gw, ['-N', EgressCounters.CHAIN]);
    for (const [name, match] of rules) iptables(this.topology, this.topology.gw, ['-A', EgressCounters.CHAIN, ...match, '-m', 'comment', '--comment', name]);
    iptables(this.topology, this.topology.gw, ['-I', 'OUTPUT', '-j', EgressCounters.CHAIN]);
  }

  /** Packets per counter name. */
  read(): Record<string, number> {
    const text = iptables(this.topology, this.topology.gw, ['-L', EgressCounters.CHAIN, '-v', '-x', '-n']);
    const counts: Record<string, number> = {};
    for (const line of text.split('\n')) {
      const name = /\/\* (\S+) \*\//.exec(line)?.[1];
      if (name) counts[name] = Number(line.trim().split(/\s+/)[0]);
    }
    return counts;
  }
}

const DNS_SERVER = join(HELPERS_DIR, 'dns-server.mjs');

export interface TestResolver { address: string; setMode(mode: 'answer' | 'nxdomain' | 'silent'): Promise<void>; queries(): number }

/** A resolver the test controls (test/helpers/dns-server.mjs) on `address` inside `ns`. */
export async function startResolver(topology: UplinkTopology, ns: string, address: string, records: Record<string, string>): Promise<TestResolver> {
  const child = topology.spawn(ns, [process.execPath, DNS_SERVER, address, ...Object.entries(records).map(([name, ip]) => `${name}=${ip}`)]);
  let queries = 0;
  createInterface({ input: child.stdout! }).on('line', (line) => { if (line.startsWith('query ')) queries++; });
  await waitLine(child, /^ready$/, `the resolver on ${address}`);
  return {
    address,
    setMode: async (mode) => {
      const done = waitLine(child, new RegExp(`^mode ${mode}$`), `the resolver on ${address}`);
      child.stdin!.write(`mode ${mode}\n`);
      await done;
    },
    queries: () => queries,
  };
}
