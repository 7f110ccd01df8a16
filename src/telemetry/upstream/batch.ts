import type { QueueRecord } from '../queue-port.js';

export interface Batch {
  /** `{"<meter>":[{"ts":..,"values":{..}}, ...], ...}` for `v1/gateway/telemetry`. */
  payload: Buffer;
  seqs: QueueRecord['seq'][];
  meters: string[];
  readings: number;
  /** Alarm and event records in the batch. */
  critical: number;
}

export interface BatchOptions {
  maxBytes: number;
  maxReadings: number;
  /** Data-saving: leave out a value equal to the meter's previous value in the same batch. */
  dropUnchanged?: boolean;
}

/** Where a finished batch's payload is written; must return at least `bytes` bytes. */
export type PayloadAllocator = (bytes: number) => Buffer;

interface Group { json: string; jsonBytes: number; spans: number[] }

/**
 * Packs queue records (key = meter, payload = one `{"ts":..,"values":{..}}` entry) into gateway
 * telemetry messages no larger than `maxBytes`, one batch at a time. Records keep their queue order
 * within each meter. A single record larger than the limit still goes out alone (ingest rejects such
 * readings). Entries are copied into one reused scratch buffer, so offering a record allocates no
 * buffer; `finish` writes the payload into a buffer from `allocate` (the forwarder reuses those).
 */
export class BatchEncoder {
  private scratch = Buffer.allocUnsafe(0);
  private used = 0;
  private groups = new Map<string, Group>();
  private seqs: QueueRecord['seq'][] = [];
  private size = 2;
  private critical = 0;
  private readonly previous = new Map<string, Record<string, unknown>>();

  constructor(public options: BatchOptions, private readonly allocate: PayloadAllocator = (bytes) => Buffer.allocUnsafe(bytes)) {}

  get empty(): boolean { return this.seqs.length === 0; }

  /**
   * Adds the record unless the batch already holds records and it would overflow; returns false then
   * (nothing added: `finish` and offer it again). `payload` is copied, so it may be a transient view.
   */
  offer(seq: QueueRecord['seq'], key: string, payload: Buffer, critical = false): boolean {
    const entry = this.options.dropUnchanged ? thin(key, payload, this.previous) : payload;
    const group = this.groups.get(key);
    const cost = entry ? entry.length + 1 + (group ? 0 : Buffer.byteLength(JSON.stringify(key)) + 3) : 0;
    if (this.seqs.length && (this.size + cost > this.options.maxBytes || this.seqs.length + 1 > this.options.maxReadings)) return false;
    this.size += cost;
    this.seqs.push(seq);
    if (critical) this.critical++;
    if (!entry) return true;
    if (this.used + entry.length > this.scratch.length) this.growScratch(entry.length);
    entry.copy(this.scratch, this.used);
    const span = [this.used, this.used + entry.length];
    this.used += entry.length;
    if (group) group.spans.push(span[0], span[1]);
    else {
      const json = JSON.stringify(key);
      this.groups.set(key, { json, jsonBytes: Buffer.byteLength(json), spans: span });
    }
    return true;
  }

  /** The batch so far (undefined if empty); the encoder starts a new one. */
  finish(): Batch | undefined {
    if (!this.seqs.length) return undefined;
    const target = this.allocate(this.size);
    let at = 0;
    target[at++] = 0x7b; // {
    let firstGroup = true;
    for (const group of this.groups.values()) {
      if (!firstGroup) target[at++] = 0x2c; // ,
      firstGroup = false;
      at += target.write(group.json, at, group.jsonBytes, 'utf8');
      target[at++] = 0x3a; // :
      target[at++] = 0x5b; // [
      for (let i = 0; i < group.spans.length; i += 2) {
        if (i) target[at++] = 0x2c;
        at += this.scratch.copy(target, at, group.spans[i], group.spans[i + 1]);
      }
      target[at++] = 0x5d; // ]
    }
    target[at++] = 0x7d; // }
    const batch: Batch = { payload: target.subarray(0, at), seqs: this.seqs, meters: [...this.groups.keys()], readings: this.seqs.length, critical: this.critical };
    this.groups = new Map();
    this.seqs = [];
    this.used = 0;
    this.size = 2;
    this.critical = 0;
    this.previous.clear();
    return batch;
  }

  private growScratch(needed: number): void {
    const grown = Buffer.allocUnsafe(Math.max(this.options.maxBytes, 2 * this.scratch.length, this.used + needed));
    this.scratch.copy(grown, 0, 0, this.used);
    this.scratch = grown;
  }
}

/** All records packed into batches (each payload in its own buffer). */
export function buildBatches(records: readonly QueueRecord[], options: BatchOptions): Batch[] {
  const encoder = new BatchEncoder(options);
  const batches: Batch[] = [];
  for (const record of records) {
    const critical = record.priority !== 'telemetry';
    if (encoder.offer(record.seq, record.key, record.payload, critical)) continue;
    batches.push(encoder.finish()!);
    encoder.offer(record.seq, record.key, record.payload, critical);
  }
  const last = encoder.finish();
  if (last) batches.push(last);
  return batches;
}

/** Returns the entry without values repeated from the meter's previous entry; undefined if none is left. */
function thin(key: string, payload: Buffer, previous: Map<string, Record<string, unknown>>): Buffer | undefined {
  let parsed: { ts: number; values: Record<string, unknown> };
  try { parsed = JSON.parse(payload.toString('utf8')); } catch { return payload; }
  const last = previous.get(key) ?? {};
  const kept: Record<string, unknown> = {};
  let any = false;
  for (const [name, value] of Object.entries(parsed.values ?? {})) {
    if (last[name] === value) continue;
    kept[name] = value;
    any = true;
  }
  previous.set(key, { ...last, ...parsed.values });
  return any ? Buffer.from(JSON.stringify({ ts: parsed.ts, values: kept })) : undefined;
}
