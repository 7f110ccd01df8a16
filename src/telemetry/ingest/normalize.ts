import type { TopicVars } from './topic.js';
import { isObisLike, type ObisMapper } from './obis.js';
import { describeErrors, type RawReading, validators } from './validate.js';

export type Value = number | boolean | string;

/** A reading after validation and normalisation: what the queue stores. */
export interface Reading {
  meter: string;
  ts: number;
  seq?: number;
  values: Record<string, Value>;
}

export type RejectReason =
  | 'empty' | 'too-large' | 'decode-json' | 'decode-cbor' | 'schema' | 'unknown-obis'
  | 'bad-timestamp' | 'meter-mismatch' | 'bad-value' | 'topic' | 'unknown-meter' | 'new-meter-rate' | 'queue-refused' | 'internal';

export interface Rejection {
  reason: RejectReason;
  detail: string;
  /** Index in a batch payload, when the payload was a batch. */
  index?: number;
}

const MIN_TS = Date.UTC(2000, 0, 1);
const MAX_FUTURE_MS = 24 * 3600 * 1000;

/** Splits a decoded payload into readings, validating and normalising each on its own. */
export function normalizePayload(
  value: unknown,
  vars: TopicVars,
  obis: ObisMapper,
  now: number,
): { readings: Reading[]; rejections: Rejection[] } {
  const { envelope } = validators();
  const readings: Reading[] = [];
  const rejections: Rejection[] = [];
  if (!envelope(value)) return { readings, rejections: [{ reason: 'schema', detail: `not a reading or batch: ${describeErrors(envelope)}` }] };
  const items: unknown[] = Array.isArray(value) ? value : 'readings' in (value as object) ? (value as { readings: unknown[] }).readings : [value];
  const batch = Array.isArray(value) || 'readings' in (value as object);
  items.forEach((item, i) => {
    const result = normalizeReading(item, vars, obis, now);
    if ('reason' in result) rejections.push(batch ? { ...result, index: i } : result);
    else readings.push(result);
  });
  return { readings, rejections };
}

export function normalizeReading(item: unknown, vars: TopicVars, obis: ObisMapper, now: number): Reading | Rejection {
  const { reading: validate } = validators();
  // ajv's `number` excludes NaN and Infinity (CBOR can carry them): name the value, not the schema.
  const nonFinite = nonFiniteValue(item);
  if (nonFinite) return { reason: 'bad-value', detail: `${nonFinite} is not a finite number` };
  if (!validate(item)) return { reason: 'schema', detail: describeErrors(validate) };
  const raw = item as RawReading;
  const topicMeter = vars.meter;
  if (raw.meter !== undefined && raw.meter !== topicMeter) {
    return { reason: 'meter-mismatch', detail: `payload meter '${raw.meter}' differs from topic meter '${topicMeter}'` };
  }
  const ts = parseTimestamp(raw.ts);
  if (ts === undefined || ts < MIN_TS || ts > now + MAX_FUTURE_MS) {
    return { reason: 'bad-timestamp', detail: `timestamp ${JSON.stringify(raw.ts)} is not between 2000-01-01 and now + 1 day` };
  }
  const values: Record<string, Value> = {};
  for (const [key, value] of Object.entries(raw.values ?? {})) {
    const named = isObisLike(key) ? obis.keyFor(key) : key;
    if (!named) return { reason: 'unknown-obis', detail: `no mapping for OBIS code '${key}' (add one with obis_map)` };
    values[named] = value;
  }
  for (const [code, value] of Object.entries(raw.obis ?? {})) {
    const named = obis.keyFor(code);
    if (!named) return { reason: 'unknown-obis', detail: `no mapping for OBIS code '${code}' (add one with obis_map)` };
    values[named] = value;
  }
  const reading: Reading = { meter: topicMeter, ts, values };
  if (raw.seq !== undefined) reading.seq = raw.seq;
  return reading;
}

/** The first `values`/`obis` key whose value is a NaN or infinite number. */
function nonFiniteValue(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  for (const field of ['values', 'obis'] as const) {
    const map = (item as Record<string, unknown>)[field];
    if (map === null || typeof map !== 'object') continue;
    for (const [key, value] of Object.entries(map)) if (typeof value === 'number' && !Number.isFinite(value)) return `${field}.${key}`;
  }
  return undefined;
}

/** Milliseconds since the epoch; numbers below 1e11 are taken as seconds. */
function parseTimestamp(ts: number | string): number | undefined {
  if (typeof ts === 'number') return Number.isFinite(ts) ? Math.round(ts < 1e11 ? ts * 1000 : ts) : undefined;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(ts)) return undefined;
  const parsed = Date.parse(ts);
  return Number.isNaN(parsed) ? undefined : parsed;
}
