// Meter id <-> Thread node: the UCI entries (`list nodes '<meter> <eui64|-> <address|-> [<region> <dcu>]'`
// in smartgrid.thread) and what the bridge learns from traffic (the address a reading came from, the
// EUI-64 a binary frame or a JSON/CBOR `eui64` carries).
import { isIPv6 } from 'node:net';
import { topicValueProblem } from '../../telemetry/ingest/topic.js';
import type { ThreadNodeView } from '../contract.js';
import { RejectError } from './payload.js';

export interface NodeEntry {
  meter: string;
  address?: string;
  eui64?: string;
  region: string;
  dcu: string;
  source: 'learned' | 'uci';
  lastContactMs?: number;
  lost: boolean;
  readings: number;
  rejected: number;
  duplicates: number;
}

export class NodeListError extends Error {}

const NONE = '-';

/** Parses `smartgrid.thread.nodes`; throws NodeListError naming the entry that is wrong and why. */
export function parseNodeList(entries: readonly string[], defaults: { region: string; dcu: string }): NodeEntry[] {
  const nodes: NodeEntry[] = [];
  const seen = { meter: new Set<string>(), eui64: new Set<string>(), address: new Set<string>() };
  for (const entry of entries) {
    const fields = entry.trim().split(/\s+/);
    if (fields.length !== 3 && fields.length !== 5) throw new NodeListError(`smartgrid.thread.nodes: '${entry}' is not '<meter> <eui64|-> <address|-> [<region> <dcu>]'`);
    const [meter, eui64, address, region = defaults.region, dcu = defaults.dcu] = fields as [string, string, string, string?, string?];
    for (const [name, value] of [['meter', meter], ['region', region], ['dcu', dcu]] as const) {
      const problem = topicValueProblem(name, value);
      if (problem) throw new NodeListError(`smartgrid.thread.nodes: '${entry}': ${problem}`);
    }
    if (eui64 !== NONE && !/^[0-9a-fA-F]{16}$/.test(eui64)) throw new NodeListError(`smartgrid.thread.nodes: '${entry}': EUI-64 '${eui64}' is not 16 hexadecimal digits (or - for none)`);
    if (address !== NONE && !isIPv6(address)) throw new NodeListError(`smartgrid.thread.nodes: '${entry}': '${address}' is not an IPv6 address (or - for none)`);
    const node: NodeEntry = {
      meter, region, dcu, source: 'uci', lost: false, readings: 0, rejected: 0, duplicates: 0,
      ...(eui64 !== NONE ? { eui64: eui64.toLowerCase() } : {}), ...(address !== NONE ? { address } : {}),
    };
    for (const key of ['meter', 'eui64', 'address'] as const) {
      const value = node[key];
      if (value === undefined) continue;
      if (seen[key].has(value)) throw new NodeListError(`smartgrid.thread.nodes: ${key} ${value} is listed twice`);
      seen[key].add(value);
    }
    nodes.push(node);
  }
  return nodes;
}

export interface NodeMapOptions {
  configured: readonly NodeEntry[];
  learn: boolean;
  /** Most learned nodes kept (memory bound against a flood of made-up meter ids). */
  limit: number;
  defaults: { region: string; dcu: string };
}

export interface ResolveInput {
  address: string;
  meter?: string;
  eui64?: string;
}

export class NodeMap {
  private readonly byMeter = new Map<string, NodeEntry>();
  private readonly byAddress = new Map<string, NodeEntry>();
  private readonly byEui64 = new Map<string, NodeEntry>();
  private learned = 0;

  constructor(private readonly options: NodeMapOptions) {
    for (const node of options.configured) this.index({ ...node });
  }

  get size(): number { return this.byMeter.size; }

  byMeterId(meter: string): NodeEntry | undefined { return this.byMeter.get(meter); }
  byNodeAddress(address: string): NodeEntry | undefined { return this.byAddress.get(address); }

  /** The node a reading belongs to, learning it or its new address; throws RejectError when it cannot be. */
  resolve(input: ResolveInput): NodeEntry {
    const known = input.meter !== undefined ? this.byMeter.get(input.meter) : (input.eui64 && this.byEui64.get(input.eui64)) || this.byAddress.get(input.address);
    if (!known) return this.learn(input);
    if (input.eui64 && known.eui64 && known.eui64 !== input.eui64) {
      throw new RejectError('meter-conflict', `meter ${known.meter} belongs to EUI-64 ${known.eui64}, not ${input.eui64} (smartgrid.thread.nodes or learned earlier)`);
    }
    this.moveAddress(known, input.address);
    if (input.eui64 && !known.eui64) { known.eui64 = input.eui64; this.byEui64.set(input.eui64, known); }
    return known;
  }

  views(nowMs: number, lostAfterMs: number): ThreadNodeView[] {
    return [...this.byMeter.values()].map((node) => nodeView(node, nowMs, lostAfterMs));
  }

  all(): IterableIterator<NodeEntry> { return this.byMeter.values(); }

  private learn(input: ResolveInput): NodeEntry {
    const why = input.meter === undefined ? `no meter id in the reading and no smartgrid.thread.nodes entry for ${input.eui64 ? `EUI-64 ${input.eui64} or ` : ''}${input.address}` : `meter ${input.meter} is not in smartgrid.thread.nodes`;
    if (input.meter === undefined || !this.options.learn) throw new RejectError('unknown-node', `unknown node: ${why}${this.options.learn ? '' : ' (learn_nodes is off)'}`);
    if (this.learned >= this.options.limit) throw new RejectError('node-limit', `node map full: ${this.options.limit} learned nodes (node_limit), meter ${input.meter} not taken`);
    this.learned++;
    const node: NodeEntry = { meter: input.meter, ...this.options.defaults, source: 'learned', lost: false, readings: 0, rejected: 0, duplicates: 0 };
    this.index(node);
    return this.resolve(input);
  }

  /** Several meters may share an address (one node wired to several meters); a reading without a meter id goes to the last one heard. */
  private moveAddress(node: NodeEntry, address: string): void {
    if (node.address && node.address !== address && this.byAddress.get(node.address) === node) this.byAddress.delete(node.address);
    node.address = address;
    this.byAddress.set(address, node);
  }

  private index(node: NodeEntry): void {
    this.byMeter.set(node.meter, node);
    if (node.address) this.byAddress.set(node.address, node);
    if (node.eui64) this.byEui64.set(node.eui64, node);
  }
}

function nodeView(node: NodeEntry, nowMs: number, lostAfterMs: number): ThreadNodeView {
  const state = node.lastContactMs === undefined ? 'configured' : nowMs - node.lastContactMs > lostAfterMs ? 'lost' : 'active';
  return {
    meter: node.meter, region: node.region, dcu: node.dcu, source: node.source, state,
    ...(node.address ? { address: node.address } : {}), ...(node.eui64 ? { eui64: node.eui64 } : {}),
    ...(node.lastContactMs !== undefined ? { last_contact: Math.floor(node.lastContactMs / 1000) } : {}),
    readings: node.readings, rejected: node.rejected, duplicates: node.duplicates,
  };
}
