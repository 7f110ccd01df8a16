// The Thread network from UCI applied to otbr-agent the safe way: the active dataset is written only
// while Thread is disabled (the agent answers 409 otherwise); while the network is up the change goes
// in a pending dataset with a delay, so that every node moves with the leader. Each write is verified
// by reading it back (a body in the wrong key casing is accepted and silently ignored).
import { keyIn, readKey, RestError, type KeyCasing, type OtbrRest } from './rest-client.js';

export interface ThreadDataset {
  networkName: string;
  panId: number;
  extPanId: string;
  channel: number;
  networkKey?: string;
  pskc?: string;
  meshLocalPrefix?: string;
  channelMask?: number;
}

export type DatasetOutcome = 'unchanged' | 'active' | 'pending';

/** PascalCase name -> the desired value, in the form the agent writes it back. */
function wanted(dataset: ThreadDataset): Record<string, string | number> {
  const out: Record<string, string | number> = { NetworkName: dataset.networkName, PanId: dataset.panId, ExtPanId: dataset.extPanId.toUpperCase(), Channel: dataset.channel };
  if (dataset.networkKey) out.NetworkKey = dataset.networkKey.toUpperCase();
  if (dataset.pskc) out.PSKc = dataset.pskc.toUpperCase();
  if (dataset.meshLocalPrefix) out.MeshLocalPrefix = dataset.meshLocalPrefix;
  if (dataset.channelMask !== undefined) out.ChannelMask = dataset.channelMask;
  return out;
}

function normalise(value: unknown): unknown {
  return typeof value === 'string' ? value.toUpperCase() : value;
}

/** Names (PascalCase) of the options whose active value differs from UCI; secrets are named, never shown. */
export function datasetDifferences(active: Record<string, unknown> | undefined, dataset: ThreadDataset): string[] {
  const desired = wanted(dataset);
  if (!active) return Object.keys(desired);
  return Object.keys(desired).filter((key) => normalise(readKey(active, key)) !== normalise(desired[key]));
}

function timestampOf(active: Record<string, unknown> | undefined): number {
  const stamp = active ? (readKey(active, 'ActiveTimestamp') as Record<string, unknown> | undefined) : undefined;
  const seconds = stamp ? Number(readKey(stamp, 'Seconds')) : 0;
  return Number.isFinite(seconds) ? seconds : 0;
}

function body(dataset: ThreadDataset, casing: KeyCasing, seconds: number): Record<string, unknown> {
  const out: Record<string, unknown> = { [keyIn(casing, 'ActiveTimestamp')]: { [keyIn(casing, 'Seconds')]: seconds, [keyIn(casing, 'Ticks')]: 0, [keyIn(casing, 'Authoritative')]: false } };
  for (const [key, value] of Object.entries(wanted(dataset))) out[keyIn(casing, key)] = value;
  return out;
}

async function put(rest: OtbrRest, path: string, payload: unknown): Promise<void> {
  const reply = await rest.call('PUT', path, payload);
  if (reply.status !== 200 && reply.status !== 201) throw new RestError(`otbr-agent REST PUT ${path}: HTTP ${reply.status}`, reply.status);
}

export async function applyDataset(rest: OtbrRest, dataset: ThreadDataset, pendingDelayMs: number): Promise<{ outcome: DatasetOutcome; changed: string[] }> {
  const active = (await rest.getJson('/node/dataset/active')) as Record<string, unknown> | undefined;
  const changed = datasetDifferences(active, dataset);
  if (changed.length === 0) return { outcome: 'unchanged', changed };
  const seconds = timestampOf(active) + 1;
  const casing = rest.casing;
  if ((await rest.state()) === 'disabled') {
    await put(rest, '/node/dataset/active', body(dataset, casing, seconds));
    const after = (await rest.getJson('/node/dataset/active')) as Record<string, unknown> | undefined;
    const still = datasetDifferences(after, dataset);
    if (still.length > 0) throw new RestError(`otbr-agent accepted the active dataset but reads back other ${still.join(', ')} (key casing ${casing} not understood?)`);
    return { outcome: 'active', changed };
  }
  const pending = { [keyIn(casing, 'ActiveDataset')]: body(dataset, casing, seconds), [keyIn(casing, 'PendingTimestamp')]: { [keyIn(casing, 'Seconds')]: seconds }, [keyIn(casing, 'Delay')]: pendingDelayMs };
  await put(rest, '/node/dataset/pending', pending);
  const after = (await rest.getJson('/node/dataset/pending')) as Record<string, unknown> | undefined;
  const inner = after ? (readKey(after, 'ActiveDataset') as Record<string, unknown> | undefined) : undefined;
  if (!inner || datasetDifferences(inner, dataset).length > 0) throw new RestError('otbr-agent accepted the pending dataset but does not read it back');
  return { outcome: 'pending', changed };
}
