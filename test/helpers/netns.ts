// Network namespaces for uplink tests: a gateway with two uplinks ("wan" metric 10, "lte" metric 20)
// to a "cloud" namespace that holds the service address. Needs root and iproute2.
// The cloud drops packets whose source address belongs to the other uplink (strict reverse-path
// filter), as an LTE operator and a WAN ISP do (BCP 38): a TCP session opened over one uplink cannot
// move to the other when the routes change; the client has to notice and reconnect.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { requireTool } from './tools.js';

export interface UplinkTopology {
  gw: string;
  cloud: string;
  /** Address of the cloud service (on the cloud's loopback, reachable over either uplink). */
  serviceAddress: string;
  wanGateway: string;
  lteGateway: string;
  /** The gateway's own addresses on each uplink (the source a cloud service sees). */
  wanAddress: string;
  lteAddress: string;
  /** Runs a command inside a namespace and returns its stdout. */
  exec(ns: string, argv: string[]): string;
  /** Starts a long-running process inside a namespace. */
  spawn(ns: string, argv: string[], env?: NodeJS.ProcessEnv): ChildProcess;
  cutWan(): void;
  /** Link up again and the metric-10 default route back, as netifd does on ifup. */
  restoreWan(): void;
  destroy(): void;
}

export function netnsAvailable(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = `sgprobe${randomBytes(3).toString('hex')}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const ip = (args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

export function createUplinkTopology(prefix = 'sg'): UplinkTopology {
  const id = `${prefix}${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
  const gw = `${id}-gw`;
  const cloud = `${id}-cloud`;
  const children = new Set<ChildProcess>();
  const topology: UplinkTopology = {
    gw, cloud, serviceAddress: '10.99.0.1', wanGateway: '10.10.1.1', lteGateway: '10.20.1.1', wanAddress: '10.10.1.2', lteAddress: '10.20.1.2',
    exec: (ns, argv) => ip(['netns', 'exec', ns, ...argv]),
    spawn: (ns, argv, env) => {
      requireTool(argv[0]!);
      const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      children.add(child);
      child.on('exit', () => children.delete(child));
      return child;
    },
    cutWan: () => { ip(['-n', gw, 'link', 'set', 'wan', 'down']); },
    restoreWan: () => {
      ip(['-n', gw, 'link', 'set', 'wan', 'up']);
      ip(['-n', gw, 'route', 'replace', 'default', 'via', '10.10.1.1', 'dev', 'wan', 'metric', '10']);
    },
    destroy: () => {
      for (const child of children) child.kill('SIGKILL');
      for (const ns of [gw, cloud]) { try { ip(['netns', 'del', ns]); } catch { /* already gone */ } }
    },
  };
  try {
    ip(['netns', 'add', gw]);
    ip(['netns', 'add', cloud]);
    ip(['-n', gw, 'link', 'add', 'wan', 'type', 'veth', 'peer', 'name', 'cwan', 'netns', cloud]);
    ip(['-n', gw, 'link', 'add', 'lte', 'type', 'veth', 'peer', 'name', 'clte', 'netns', cloud]);
    ip(['-n', gw, 'addr', 'add', '10.10.1.2/24', 'dev', 'wan']);
    ip(['-n', gw, 'addr', 'add', '10.20.1.2/24', 'dev', 'lte']);
    ip(['-n', cloud, 'addr', 'add', '10.10.1.1/24', 'dev', 'cwan']);
    ip(['-n', cloud, 'addr', 'add', '10.20.1.1/24', 'dev', 'clte']);
    ip(['-n', cloud, 'addr', 'add', '10.99.0.1/32', 'dev', 'lo']);
    ip(['netns', 'exec', cloud, 'sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=1']);
    for (const [ns, devs] of [[gw, ['lo', 'wan', 'lte']], [cloud, ['lo', 'cwan', 'clte']]] as const) {
      for (const dev of devs) ip(['-n', ns, 'link', 'set', dev, 'up']);
    }
    ip(['-n', gw, 'route', 'add', 'default', 'via', '10.10.1.1', 'dev', 'wan', 'metric', '10']);
    ip(['-n', gw, 'route', 'add', 'default', 'via', '10.20.1.1', 'dev', 'lte', 'metric', '20']);
  } catch (error) {
    topology.destroy();
    throw error;
  }
  return topology;
}
