// Builds the `topology` reply from what otbr-agent said: the nodes (who is router, leader, child,
// whose child, which addresses) from REST /diagnostics, the border router's own links (link
// quality, RSSI, age) from the ot-ctl tables, and the meter behind each node from the CoAP bridge
// (joined by IPv6 address).
import type { ThreadNeighbourView, ThreadNodeView, ThreadTopologyNode } from '../contract.js';
import type { ChildTableRow, NeighborTableRow, RouterTableRow } from './cli-tables.js';
import type { DiagnosticNode } from './diagnostics.js';

export interface TopologyReadings {
  diagnostics: DiagnosticNode[];
  routerTable: RouterTableRow[];
  childTable: ChildTableRow[];
  neighborTable: NeighborTableRow[];
}

export interface TopologyShape {
  routers: ThreadTopologyNode[];
  children: ThreadTopologyNode[];
  neighbours: ThreadNeighbourView[];
}

const CHILD_ID_MASK = 0x01ff;
const NO_EXT_ADDRESS = '0000000000000000';

export const rloc16Text = (rloc16: number): string => `0x${rloc16.toString(16).padStart(4, '0')}`;
const routerIdOf = (rloc16: number): number => rloc16 >> 10;
const isRouterRloc16 = (rloc16: number): boolean => (rloc16 & CHILD_ID_MASK) === 0;

/** One spelling per IPv6 address (`fd11:22:0:0:0:ff:fe00:fc00` = `fd11:22::ff:fe00:fc00`), for comparing. */
export function canonicalIpv6(address: string): string {
  const bare = address.trim().split('%')[0]!.toLowerCase();
  try {
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return bare;
  }
}

/** Routers a router hears and is heard by (its own entry in the route table has link quality 0). */
function routerLinks(entry: DiagnosticNode, routerId: number): string[] {
  return entry.routes.filter((route) => route.routerId !== routerId && route.linkQualityIn > 0 && route.linkQualityOut > 0).map((route) => rloc16Text(route.routerId << 10));
}

function nodeFromDiagnostics(entry: DiagnosticNode, leaderRouterId: number | undefined): ThreadTopologyNode {
  const routerId = routerIdOf(entry.rloc16);
  if (!isRouterRloc16(entry.rloc16)) return { rloc16: rloc16Text(entry.rloc16), ext_address: entry.extAddress, role: 'child', parent: rloc16Text(entry.rloc16 & ~CHILD_ID_MASK), addresses: entry.addresses };
  return {
    rloc16: rloc16Text(entry.rloc16), ext_address: entry.extAddress, role: routerId === leaderRouterId ? 'leader' : 'router',
    router_id: routerId, links: routerLinks(entry, routerId), addresses: entry.addresses,
  };
}

/** Children a router lists that did not answer the diagnostic query themselves (sleepy ones do not). */
function silentChildren(readings: TopologyReadings, known: Set<string>): ThreadTopologyNode[] {
  const ownChildren = new Map(readings.childTable.map((row) => [row.rloc16, row]));
  const found: ThreadTopologyNode[] = [];
  for (const router of readings.diagnostics.filter((entry) => isRouterRloc16(entry.rloc16))) {
    for (const child of router.children ?? []) {
      const rloc16 = rloc16Text(router.rloc16 | child.childId);
      if (known.has(rloc16)) continue;
      known.add(rloc16);
      found.push({ rloc16, ext_address: ownChildren.get(rloc16)?.extAddress ?? '', role: 'child', parent: rloc16Text(router.rloc16), addresses: [] });
    }
  }
  for (const row of readings.childTable.filter((child) => !known.has(child.rloc16))) {
    known.add(row.rloc16);
    found.push({ rloc16: row.rloc16, ext_address: row.extAddress, role: 'child', parent: rloc16Text(parseInt(row.rloc16, 16) & ~CHILD_ID_MASK), addresses: [] });
  }
  return found;
}

/** Routers in the border router's table that did not answer the diagnostic query. */
function silentRouters(readings: TopologyReadings, known: Set<string>, leaderRouterId: number | undefined): ThreadTopologyNode[] {
  return readings.routerTable.filter((row) => !known.has(row.rloc16)).map((row) => {
    known.add(row.rloc16);
    return { rloc16: row.rloc16, ext_address: row.extAddress === NO_EXT_ADDRESS ? '' : row.extAddress, role: row.id === leaderRouterId ? 'leader' : 'router', router_id: row.id, addresses: [] };
  });
}

function neighbourViews(readings: TopologyReadings): ThreadNeighbourView[] {
  const routerLinks = new Map(readings.routerTable.map((row) => [row.rloc16, row.linkQualityIn]));
  const childLinks = new Map(readings.childTable.map((row) => [row.rloc16, row.linkQualityIn]));
  return readings.neighborTable.map((row) => ({
    rloc16: row.rloc16, ext_address: row.extAddress, role: row.role,
    link_quality_in: (row.role === 'router' ? routerLinks : childLinks).get(row.rloc16),
    rssi_average: row.averageRssi, rssi_last: row.lastRssi, age_s: row.ageS,
  }));
}

const byRloc16 = (a: ThreadTopologyNode, b: ThreadTopologyNode): number => parseInt(a.rloc16, 16) - parseInt(b.rloc16, 16);

/** Routers (leader included) and children from the readings; no meter yet (see joinNodeViews). */
export function buildTopology(readings: TopologyReadings): TopologyShape {
  const leaderRouterId = readings.diagnostics.find((entry) => entry.leaderRouterId !== undefined)?.leaderRouterId;
  const nodes = readings.diagnostics.map((entry) => nodeFromDiagnostics(entry, leaderRouterId));
  const known = new Set(nodes.map((node) => node.rloc16));
  const all = [...nodes, ...silentRouters(readings, known, leaderRouterId), ...silentChildren(readings, known)];
  return {
    routers: all.filter((node) => node.role !== 'child').sort(byRloc16),
    children: all.filter((node) => node.role === 'child').sort(byRloc16),
    neighbours: neighbourViews(readings),
  };
}

/** Each node's meter and last CoAP contact: the bridge node that last sent from one of its addresses. */
export function joinNodeViews(nodes: ThreadTopologyNode[], bridgeNodes: readonly ThreadNodeView[]): ThreadTopologyNode[] {
  const byAddress = new Map<string, ThreadNodeView>();
  for (const view of bridgeNodes) {
    if (!view.address) continue;
    const key = canonicalIpv6(view.address);
    const previous = byAddress.get(key);
    if (!previous || (view.last_contact ?? 0) > (previous.last_contact ?? 0)) byAddress.set(key, view);
  }
  return nodes.map((node) => {
    const matches = node.addresses.map((address) => byAddress.get(canonicalIpv6(address))).filter((view): view is ThreadNodeView => view !== undefined);
    if (matches.length === 0) return node;
    const latest = matches.reduce((a, b) => ((b.last_contact ?? 0) > (a.last_contact ?? 0) ? b : a));
    return { ...node, meter: latest.meter, last_coap_contact: latest.last_contact };
  });
}
