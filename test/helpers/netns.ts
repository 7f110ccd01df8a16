// Network namespaces for uplink tests, shaped like the field: the gateway ("gw") has two uplinks, "wan"
// (metric 10) to an ISP router ("isp") and "lte" (metric 20) to a carrier router ("carrier"); both
// routers forward to a "cloud" namespace that holds the service addresses. Needs root and iproute2.
// The cloud drops packets whose source address belongs to the other uplink (strict reverse-path
// filter), as an LTE operator and a WAN ISP do (BCP 38): a TCP session opened over one uplink cannot
// move to the other when the routes change; the client has to notice and reconnect.
// Faults happen where ISPs have them: the ISP router drops (blackhole) or delays and loses (degraded)
// what it forwards, while the gateway's link stays up; or the gateway's WAN link goes down.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { requireTool } from './tools.js';

export interface UplinkTopology {
  gw: string;
  isp: string;
  carrier: string;
  cloud: string;
  /** Address of the cloud service (on the cloud's loopback, reachable over either uplink). */
  serviceAddress: string;
  /** Further cloud addresses that answer pings (probe targets besides the service). */
  probeTargets: string[];
  wanGateway: string;
  lteGateway: string;
  /** The gateway's own addresses on each uplink (the source a cloud service sees). */
  wanAddress: string;
  lteAddress: string;
  /** Runs a command inside a namespace and returns its stdout. */
  exec(ns: string, argv: string[]): string;
  /** Starts a long-running process inside a namespace. */
  spawn(ns: string, argv: string[], env?: NodeJS.ProcessEnv): ChildProcess;
  /** The gateway's system resolver (what `ip netns exec` mounts as /etc/resolv.conf in "gw"). */
  setGatewayResolver(server: string): void;
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

/** A router namespace between the gateway and the cloud: `down` faces the gateway, `up` the cloud. */
function addRouter(ns: string, cloud: string, link: { down: string; up: string; cloudSide: string; downNet: string; upNet: string }): void {
  ip(['-n', ns, 'link', 'add', link.up, 'type', 'veth', 'peer', 'name', link.cloudSide, 'netns', cloud]);
  ip(['-n', ns, 'addr', 'add', `${link.downNet}.1/24`, 'dev', link.down]);
  ip(['-n', ns, 'addr', 'add', `${link.upNet}.1/30`, 'dev', link.up]);
  ip(['-n', cloud, 'addr', 'add', `${link.upNet}.2/30`, 'dev', link.cloudSide]);
  for (const dev of ['lo', link.down, link.up]) ip(['-n', ns, 'link', 'set', dev, 'up']);
  ip(['-n', cloud, 'link', 'set', link.cloudSide, 'up']);
  ip(['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  ip(['-n', ns, 'route', 'add', 'default', 'via', `${link.upNet}.2`]);
  ip(['-n', cloud, 'route', 'add', `${link.downNet}.0/24`, 'via', `${link.upNet}.1`]);
}

export function createUplinkTopology(prefix = 'sg'): UplinkTopology {
  const id = `${prefix}${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
  const [gw, isp, carrier, cloud] = ['gw', 'isp', 'car', 'cloud'].map((name) => `${id}-${name}`) as [string, string, string, string];
  const children = new Set<ChildProcess>();
  const resolvDir = `/etc/netns/${gw}`;
  const topology: UplinkTopology = {
    gw, isp, carrier, cloud, serviceAddress: '10.99.0.1', probeTargets: ['10.99.0.2', '10.99.0.3'],
    wanGateway: '10.10.1.1', lteGateway: '10.20.1.1', wanAddress: '10.10.1.2', lteAddress: '10.20.1.2',
    exec: (ns, argv) => ip(['netns', 'exec', ns, ...argv]),
    spawn: (ns, argv, env) => {
      if (argv[0] !== process.execPath) requireTool(argv[0]!);
      const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      children.add(child);
      child.on('exit', () => children.delete(child));
      return child;
    },
    setGatewayResolver: (server) => {
      mkdirSync(resolvDir, { recursive: true });
      writeFileSync(`${resolvDir}/resolv.conf`, `nameserver ${server}\noptions timeout:1 attempts:1\n`);
    },
    cutWan: () => { ip(['-n', gw, 'link', 'set', 'wan', 'down']); },
    restoreWan: () => {
      ip(['-n', gw, 'link', 'set', 'wan', 'up']);
      ip(['-n', gw, 'route', 'replace', 'default', 'via', '10.10.1.1', 'dev', 'wan', 'metric', '10']);
    },
    destroy: () => {
      for (const child of children) child.kill('SIGKILL');
      for (const ns of [gw, isp, carrier, cloud]) { try { ip(['netns', 'del', ns]); } catch { /* already gone */ } }
      rmSync(resolvDir, { recursive: true, force: true });
    },
  };
  try {
    for (const ns of [gw, isp, carrier, cloud]) ip(['netns', 'add', ns]);
    ip(['-n', gw, 'link', 'add', 'wan', 'type', 'veth', 'peer', 'name', 'togw', 'netns', isp]);
    ip(['-n', gw, 'link', 'add', 'lte', 'type', 'veth', 'peer', 'name', 'togw', 'netns', carrier]);
    ip(['-n', gw, 'addr', 'add', '10.10.1.2/24', 'dev', 'wan']);
    ip(['-n', gw, 'addr', 'add', '10.20.1.2/24', 'dev', 'lte']);
    addRouter(isp, cloud, { down: 'togw', up: 'tocloud', cloudSide: 'cisp', downNet: '10.10.1', upNet: '10.11.0' });
    addRouter(carrier, cloud, { down: 'togw', up: 'tocloud', cloudSide: 'ccar', downNet: '10.20.1', upNet: '10.21.0' });
    for (const address of [topology.serviceAddress, ...topology.probeTargets]) ip(['-n', cloud, 'addr', 'add', `${address}/32`, 'dev', 'lo']);
    ip(['-n', cloud, 'link', 'set', 'lo', 'up']);
    ip(['netns', 'exec', cloud, 'sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=1']);
    for (const dev of ['lo', 'wan', 'lte']) ip(['-n', gw, 'link', 'set', dev, 'up']);
    ip(['-n', gw, 'route', 'add', 'default', 'via', '10.10.1.1', 'dev', 'wan', 'metric', '10']);
    ip(['-n', gw, 'route', 'add', 'default', 'via', '10.20.1.1', 'dev', 'lte', 'metric', '20']);
  } catch (error) {
    topology.destroy();
    throw error;
  }
  return topology;
}
