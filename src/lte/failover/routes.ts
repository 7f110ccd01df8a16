/** A default route as the kernel (ip route) or netifd (network.interface dump) reports it. */
export interface DefaultRoute {
  device: string;
  interface?: string;
  metric: number;
  gateway?: string;
  usable: boolean;
}

/** `ip -j route show default` (iproute2 JSON: dst, gateway, dev, metric, flags). */
export function parseIpRoutes(text: string): DefaultRoute[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const items = JSON.parse(trimmed) as Array<Record<string, unknown>>;
  if (!Array.isArray(items)) throw new Error('ip -j route: expected a JSON array');
  return items
    .filter((item) => item.dst === 'default' && typeof item.dev === 'string')
    .map((item) => {
      const flags = Array.isArray(item.flags) ? (item.flags as string[]) : [];
      return {
        device: item.dev as string,
        metric: typeof item.metric === 'number' ? item.metric : 0,
        gateway: typeof item.gateway === 'string' ? item.gateway : undefined,
        usable: !flags.includes('linkdown') && !flags.includes('dead'),
      };
    });
}

interface NetifdRoute { target?: string; mask?: number; nexthop?: string; metric?: number }
interface NetifdInterface { interface?: string; up?: boolean; l3_device?: string; device?: string; metric?: number; route?: NetifdRoute[] }

/** `ubus call network.interface dump` -> `{ interface: [{ interface, up, l3_device, metric, route: [...] }] }` */
export function parseInterfaceDump(dump: Record<string, unknown>): DefaultRoute[] {
  const interfaces = Array.isArray(dump.interface) ? (dump.interface as NetifdInterface[]) : [];
  const out: DefaultRoute[] = [];
  for (const item of interfaces) {
    if (!item.interface) continue;
    for (const route of item.route ?? []) {
      if (route.target !== '0.0.0.0' || route.mask !== 0) continue;
      out.push({
        device: item.l3_device ?? item.device ?? item.interface,
        interface: item.interface,
        metric: route.metric ?? item.metric ?? 0,
        gateway: route.nexthop,
        usable: item.up === true,
      });
    }
  }
  return out;
}

export type Uplink = 'wan' | 'lte' | 'none';

export interface UplinkNames {
  wanInterface: string;
  lteInterface: string;
  wanDevice?: string;
  lteDevice?: string;
}

export function roleOf(route: DefaultRoute, names: UplinkNames): Uplink {
  if (route.interface === names.wanInterface || (names.wanDevice && route.device === names.wanDevice)) return 'wan';
  if (route.interface === names.lteInterface || (names.lteDevice && route.device === names.lteDevice)) return 'lte';
  return 'none';
}

/** The uplink that carries traffic: the usable default route with the lowest metric. */
export function activeUplink(routes: DefaultRoute[], names: UplinkNames): { active: Uplink; wanUp: boolean; lteUp: boolean } {
  const usable = routes.filter((route) => route.usable).sort((a, b) => a.metric - b.metric);
  const roles = usable.map((route) => roleOf(route, names));
  return { active: roles.find((role) => role !== 'none') ?? 'none', wanUp: roles.includes('wan'), lteUp: roles.includes('lte') };
}
