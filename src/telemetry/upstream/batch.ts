import type { QueueRecord } from '../queue-port.js';

export interface Batch {
  /** `{"<meter>":[{"ts":..,"values":{..}}, ...], ...}` for `v1/gateway/telemetry`. */
  payload: Buffer;
  seqs: QueueRecord['seq'][];
  meters: string[];
  readings: number;
}

export interface BatchOptions {
  maxBytes: number;
  maxReadings: number;
  /** Data-saving: leave out a value equal to the meter's previous value in the same batch. */
  dropUnchanged?: boolean;
}

/**
 * Packs queue records (key = meter, payload = one `{"ts":..,"values":{..}}` entry) into gateway
 * telemetry messages no larger than `maxBytes`. Records keep their queue order within each meter.
 * A single record larger than the limit still goes out alone (ingest rejects such readings).
 */
export function buildBatches(records: readonly QueueRecord[], options: BatchOptions): Batch[] {
  const batches: Batch[] = [];
  let groups = new Map<string, Buffer[]>();
  let seqs: QueueRecord['seq'][] = [];
  let size = 2;
  let readings = 0;
  const previous = new Map<string, Record<string, unknown>>();
  const flush = () => {
    if (!seqs.length) return;
    batches.push({ payload: encode(groups), seqs, meters: [...groups.keys()], readings });
    groups = new Map();
    seqs = [];
    size = 2;
    readings = 0;
    previous.clear();
  };
  const entryFor = (record: QueueRecord) => (options.dropUnchanged ? thin(record, previous) : record.payload);
  const costOf = (key: string, entry: Buffer | undefined) =>
    entry ? entry.length + 1 + (groups.has(key) ? 0 : JSON.stringify(key).length + 3) : 0;
  for (const record of records) {
    let entry = entryFor(record);
    if (seqs.length && (size + costOf(record.key, entry) > options.maxBytes || readings + 1 > options.maxReadings)) {
      flush();
      entry = entryFor(record);
    }
    size += costOf(record.key, entry);
    seqs.push(record.seq);
    readings++;
    if (!entry) continue;
    const group = groups.get(record.key);
    if (group) group.push(entry);
    else groups.set(record.key, [entry]);
  }
  flush();
  return batches;
}

function encode(groups: Map<string, Buffer[]>): Buffer {
  const parts: Buffer[] = [Buffer.from('{')];
  let first = true;
  for (const [meter, entries] of groups) {
    parts.push(Buffer.from(`${first ? '' : ','}${JSON.stringify(meter)}:[`));
    entries.forEach((entry, i) => { if (i) parts.push(Buffer.from(',')); parts.push(entry); });
    parts.push(Buffer.from(']'));
    first = false;
  }
  parts.push(Buffer.from('}'));
  return Buffer.concat(parts);
}

/** Returns the entry without values repeated from the meter's previous entry; undefined if none is left. */
function thin(record: QueueRecord, previous: Map<string, Record<string, unknown>>): Buffer | undefined {
  let parsed: { ts: number; values: Record<string, unknown> };
  try { parsed = JSON.parse(record.payload.toString('utf8')); } catch { return record.payload; }
  const last = previous.get(record.key) ?? {};
  const kept: Record<string, unknown> = {};
  let any = false;
  for (const [key, value] of Object.entries(parsed.values ?? {})) {
    if (last[key] === value) continue;
    kept[key] = value;
    any = true;
  }
  previous.set(record.key, { ...last, ...parsed.values });
  return any ? Buffer.from(JSON.stringify({ ts: parsed.ts, values: kept })) : undefined;
}
