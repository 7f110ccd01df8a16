import type { Ubus } from '../../lib/ubus/types.js';

/** One interface of `ubus call mwan3 status '{"section":"interfaces"}'` (rpcd ucode plugin of mwan3). */
export interface Mwan3Interface {
  name: string;
  /** mwan3track's verdict: online, offline, disconnecting, connecting, disabled or unknown. */
  status: string;
  enabled: boolean;
  /** netifd's view of the interface. */
  up: boolean;
  tracking: string;
  /** Worst loss (percent) and mean latency (ms) over the tracked targets, from mwan3track's last round. */
  loss?: number;
  latencyMs?: number;
}

interface Mwan3TrackIp { ip?: unknown; status?: unknown; latency?: unknown; packetloss?: unknown }

export function parseMwan3Interfaces(reply: Record<string, unknown>): Mwan3Interface[] {
  const interfaces = reply.interfaces;
  if (!interfaces || typeof interfaces !== 'object' || Array.isArray(interfaces)) throw new Error('mwan3 status: no interfaces object');
  return Object.entries(interfaces as Record<string, Record<string, unknown>>).map(([name, item]) => {
    const tracks = Array.isArray(item.track_ip) ? (item.track_ip as Mwan3TrackIp[]) : [];
    const losses = tracks.flatMap((track) => (typeof track.packetloss === 'number' ? [track.packetloss] : []));
    const latencies = tracks.flatMap((track) => (typeof track.latency === 'number' && track.status === 'up' ? [track.latency] : []));
    return {
      name, status: typeof item.status === 'string' ? item.status : 'unknown', enabled: item.enabled === true, up: item.up === true,
      tracking: typeof item.tracking === 'string' ? item.tracking : 'unknown',
      loss: losses.length ? Math.max(...losses) : undefined,
      latencyMs: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : undefined,
    };
  });
}

/** Whether mwan3 is installed and running: its rpcd object answers. */
export async function mwan3Present(ubus: Ubus): Promise<boolean> {
  try {
    return (await ubus.lookup('mwan3')).some((object) => object.path === 'mwan3');
  } catch {
    return false;
  }
}

export async function readMwan3(ubus: Ubus): Promise<Mwan3Interface[]> {
  return parseMwan3Interfaces(await ubus.call('mwan3', 'status', { section: 'interfaces' }, { timeoutMs: 5000 }));
}
