// REST `GET /diagnostics`: otbr-agent multicasts a network-diagnostic query, collects the answers
// for about 2 s and returns one object per node that answered (network.json, rest.json): its
// extended address, RLOC16, mode, routes, leader data, IPv6 addresses and child table.
import { readKey } from './rest-client.js';

export interface DiagnosticRoute { routerId: number; linkQualityIn: number; linkQualityOut: number; cost: number }

export interface DiagnosticChild { childId: number; timeout: number; rxOnWhenIdle: boolean }

export interface DiagnosticNode {
  /** 16 lowercase hex digits. */
  extAddress: string;
  rloc16: number;
  rxOnWhenIdle: boolean;
  fullThreadDevice: boolean;
  leaderRouterId?: number;
  routes: DiagnosticRoute[];
  addresses: string[];
  /** Absent when the node did not send a child table (a child does not). */
  children?: DiagnosticChild[];
}

export class DiagnosticsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiagnosticsError';
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const numberOr = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);

function routesOf(entry: Json): DiagnosticRoute[] {
  const route = readKey(entry, 'Route');
  const data = isObject(route) ? readKey(route, 'RouteData') : undefined;
  return (Array.isArray(data) ? data.filter(isObject) : []).map((r) => ({
    routerId: numberOr(readKey(r, 'RouteId'), -1), linkQualityIn: numberOr(readKey(r, 'LinkQualityIn'), 0),
    linkQualityOut: numberOr(readKey(r, 'LinkQualityOut'), 0), cost: numberOr(readKey(r, 'RouteCost'), 0),
  }));
}

function childrenOf(entry: Json): DiagnosticChild[] | undefined {
  const table = readKey(entry, 'ChildTable');
  if (!Array.isArray(table)) return undefined;
  return table.filter(isObject).map((child) => {
    const mode = readKey(child, 'Mode');
    return { childId: numberOr(readKey(child, 'ChildId'), -1), timeout: numberOr(readKey(child, 'Timeout'), 0), rxOnWhenIdle: isObject(mode) && readKey(mode, 'RxOnWhenIdle') === 1 };
  });
}

function nodeOf(entry: unknown, index: number): DiagnosticNode {
  if (!isObject(entry)) throw new DiagnosticsError(`/diagnostics entry ${index} is not an object`);
  const ext = readKey(entry, 'ExtAddress');
  const rloc16 = readKey(entry, 'Rloc16');
  if (typeof ext !== 'string' || !/^[0-9A-Fa-f]{16}$/.test(ext)) throw new DiagnosticsError(`/diagnostics entry ${index}: ExtAddress ${JSON.stringify(ext)} is not 16 hex digits`);
  if (typeof rloc16 !== 'number') throw new DiagnosticsError(`/diagnostics entry ${index}: Rloc16 ${JSON.stringify(rloc16)} is not a number`);
  const mode = readKey(entry, 'Mode');
  const leader = readKey(entry, 'LeaderData');
  const addresses = readKey(entry, 'IP6AddressList');
  const leaderRouterId = isObject(leader) ? readKey(leader, 'LeaderRouterId') : undefined;
  return {
    extAddress: ext.toLowerCase(), rloc16,
    rxOnWhenIdle: isObject(mode) && readKey(mode, 'RxOnWhenIdle') === 1,
    fullThreadDevice: isObject(mode) && readKey(mode, 'DeviceType') === 1,
    leaderRouterId: typeof leaderRouterId === 'number' ? leaderRouterId : undefined,
    routes: routesOf(entry),
    addresses: Array.isArray(addresses) ? addresses.filter((a): a is string => typeof a === 'string') : [],
    children: childrenOf(entry),
  };
}

/** The body of GET /diagnostics (a JSON array), one DiagnosticNode per answering node. */
export function parseDiagnostics(body: unknown): DiagnosticNode[] {
  if (!Array.isArray(body)) throw new DiagnosticsError(`/diagnostics is not a JSON array (${typeof body})`);
  return body.map(nodeOf);
}
