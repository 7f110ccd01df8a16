// The active/pending dataset as otbr-agent's REST API reads and writes it, in PascalCase (the captured
// ot-br-posix 72bd9dc) or camelCase (newer releases). Keys of the other casing are silently ignored,
// a wrong JSON type for a number is ignored, a bad key length or timestamp is a 400 (rest.json).
import { randomBytes } from 'node:crypto';

export type Casing = 'pascal' | 'camel';

export interface Dataset {
  ActiveTimestamp: { Seconds: number; Ticks: number; Authoritative: boolean };
  NetworkKey: string;
  NetworkName: string;
  ExtPanId: string;
  MeshLocalPrefix: string;
  PanId: number;
  Channel: number;
  PSKc: string;
  ChannelMask: number;
}

const PASCAL_TO_CAMEL: Record<string, string> = { PSKc: 'pskc', ActiveDataset: 'activeDataset', PendingTimestamp: 'pendingTimestamp' };

export function keyFor(pascal: string, casing: Casing): string {
  if (casing === 'pascal') return pascal;
  return PASCAL_TO_CAMEL[pascal] ?? pascal[0]!.toLowerCase() + pascal.slice(1);
}

export class BadRequest extends Error {}

export function randomDataset(): Dataset {
  const hex = (n: number): string => randomBytes(n).toString('hex').toUpperCase();
  const pan = randomBytes(2).readUInt16BE(0) & 0xfffe;
  return {
    ActiveTimestamp: { Seconds: 1, Ticks: 0, Authoritative: false },
    NetworkKey: hex(16), NetworkName: `OpenThread-${pan.toString(16).padStart(4, '0')}`, ExtPanId: hex(8),
    MeshLocalPrefix: `fd${hex(5).toLowerCase().replace(/(..)(....)(....)/, '$1:$2:$3')}::/64`,
    PanId: pan, Channel: 11 + (randomBytes(1)[0]! % 16), PSKc: hex(16), ChannelMask: 134215680,
  };
}

function hexKey(value: unknown, bytes: number): string {
  if (typeof value !== 'string' || !new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(value)) throw new BadRequest(`bad key length`);
  return value.toUpperCase();
}

/** Merges a JSON body into `base` (kept keys stay), as the captured agent does. */
export function mergeDataset(base: Dataset, body: Record<string, unknown>, casing: Casing): Dataset {
  const next: Dataset = { ...base, ActiveTimestamp: { ...base.ActiveTimestamp } };
  const get = (key: string): unknown => body[keyFor(key, casing)];
  const timestamp = get('ActiveTimestamp');
  if (timestamp !== undefined) {
    if (typeof timestamp !== 'object' || timestamp === null) throw new BadRequest('timestamp');
    const t = timestamp as Record<string, unknown>;
    if (typeof t[keyFor('Seconds', casing)] === 'number') next.ActiveTimestamp.Seconds = t[keyFor('Seconds', casing)] as number;
  }
  if (get('NetworkKey') !== undefined) next.NetworkKey = hexKey(get('NetworkKey'), 16);
  if (get('PSKc') !== undefined) next.PSKc = hexKey(get('PSKc'), 16);
  if (get('ExtPanId') !== undefined) next.ExtPanId = hexKey(get('ExtPanId'), 8);
  if (typeof get('NetworkName') === 'string') next.NetworkName = get('NetworkName') as string;
  if (typeof get('MeshLocalPrefix') === 'string') next.MeshLocalPrefix = compressPrefix(get('MeshLocalPrefix') as string);
  if (typeof get('PanId') === 'number') next.PanId = get('PanId') as number;
  if (typeof get('Channel') === 'number') next.Channel = get('Channel') as number;
  if (typeof get('ChannelMask') === 'number') next.ChannelMask = get('ChannelMask') as number;
  return next;
}

/** `fd11:22:0:0::/64` comes back as `fd11:22::/64`. */
export function compressPrefix(prefix: string): string {
  const [address, length] = prefix.split('/');
  const groups = address!.split('::')[0]!.split(':').filter(Boolean);
  while (groups.length > 0 && groups.at(-1) === '0') groups.pop();
  return `${groups.join(':')}::/${length ?? '64'}`;
}

const SECURITY_POLICY = { RotationTime: 672, ObtainNetworkKey: true, NativeCommissioning: true, Routers: true, ExternalCommissioning: true, CommercialCommissioning: false, AutonomousEnrollment: false, NetworkKeyProvisioning: false, TobleLink: true, NonCcmRouters: false };

/** The body of GET /node/dataset/active, keys in the order and casing the agent writes them. */
export function datasetJson(dataset: Dataset, casing: Casing): Record<string, unknown> {
  const pascal: Record<string, unknown> = {
    ActiveTimestamp: dataset.ActiveTimestamp, NetworkKey: dataset.NetworkKey, NetworkName: dataset.NetworkName, ExtPanId: dataset.ExtPanId,
    MeshLocalPrefix: dataset.MeshLocalPrefix, PanId: dataset.PanId, Channel: dataset.Channel, PSKc: dataset.PSKc, SecurityPolicy: SECURITY_POLICY, ChannelMask: dataset.ChannelMask,
  };
  return recase(pascal, casing) as Record<string, unknown>;
}

export function recase(value: unknown, casing: Casing): unknown {
  if (casing === 'pascal' || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [keyFor(k, casing), recase(v, casing)]));
}
