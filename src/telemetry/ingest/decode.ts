import { decode as decodeCbor } from 'cbor-x';

export type Encoding = 'json' | 'cbor';

export class DecodeError extends Error {
  constructor(readonly reason: 'decode-json' | 'decode-cbor' | 'empty' | 'too-large', detail: string) {
    super(detail);
  }
}

/** JSON documents start with `{` or `[` (after whitespace); anything else is taken as CBOR. */
export function detectEncoding(payload: Buffer): Encoding {
  for (const byte of payload) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x7b || byte === 0x5b ? 'json' : 'cbor';
  }
  return 'json';
}

export function decodePayload(payload: Buffer, maxBytes: number): { encoding: Encoding; value: unknown } {
  if (payload.length === 0) throw new DecodeError('empty', 'empty payload');
  if (payload.length > maxBytes) throw new DecodeError('too-large', `payload of ${payload.length} bytes exceeds ${maxBytes}`);
  const encoding = detectEncoding(payload);
  if (encoding === 'json') {
    try {
      return { encoding, value: JSON.parse(payload.toString('utf8')) };
    } catch (error) {
      throw new DecodeError('decode-json', `invalid JSON: ${(error as Error).message}`);
    }
  }
  try {
    return { encoding, value: normalizeCbor(decodeCbor(payload)) };
  } catch (error) {
    throw new DecodeError('decode-cbor', `invalid CBOR: ${(error as Error).message}`);
  }
}

/** cbor-x may yield Maps, bigints and typed arrays; turn them into plain JSON-like values. */
function normalizeCbor(value: unknown, depth = 0): unknown {
  if (depth > 16) throw new Error('nesting deeper than 16');
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of value) out[String(key)] = normalizeCbor(inner, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => normalizeCbor(item, depth + 1));
  if (value instanceof Date) return value.getTime();
  if (ArrayBuffer.isView(value)) throw new Error('binary strings are not readings');
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = normalizeCbor(inner, depth + 1);
    return out;
  }
  return value;
}
