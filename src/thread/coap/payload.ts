// What a node POSTs to the reading resource, turned into one telemetry reading (the forwarder's wire
// shape, src/telemetry/ingest/reading-schemas.json) or a reject with a CoAP code and a reason.
import { DecodeError, decodePayload } from '../../telemetry/ingest/decode.js';
import { describeErrors, validators, type RawReading } from '../../telemetry/ingest/validate.js';
import { decodeFrame, FrameError, obisEntry } from './frame.js';

/** CoAP Content-Format numbers (RFC 7252 12.3, RFC 8949). */
export const CONTENT_FORMAT = { text: 0, octetStream: 42, json: 50, cbor: 60 } as const;

export type RejectReason =
  | 'too-large' | 'empty' | 'content-format' | 'bad-crc' | 'truncated' | 'malformed' | 'version'
  | 'decode-json' | 'decode-cbor' | 'schema' | 'unknown-node' | 'meter-conflict' | 'rate' | 'node-limit' | 'broker' | 'method' | 'not-found';

/** The CoAP response code each reject gets. */
export const REJECT_CODE: Record<RejectReason, string> = {
  'too-large': '4.13', empty: '4.00', 'content-format': '4.15', 'bad-crc': '4.00', truncated: '4.00', malformed: '4.00', version: '4.00',
  'decode-json': '4.00', 'decode-cbor': '4.00', schema: '4.00', 'unknown-node': '4.03', 'meter-conflict': '4.03', rate: '4.29',
  'node-limit': '5.03', broker: '5.03', method: '4.05', 'not-found': '4.04',
};

export class RejectError extends Error {
  constructor(readonly reason: RejectReason, message: string) {
    super(message);
  }
}

export type PayloadEncoding = 'json' | 'cbor' | 'binary';

export interface DecodedReading {
  encoding: PayloadEncoding;
  reading: RawReading;
  eui64?: string;
}

const EUI64 = /^[0-9a-fA-F]{16}$/;

function encodingOf(payload: Buffer, contentFormat: number | string | undefined): PayloadEncoding {
  if (contentFormat === CONTENT_FORMAT.octetStream) return 'binary';
  if (contentFormat === CONTENT_FORMAT.json) return 'json';
  if (contentFormat === CONTENT_FORMAT.cbor) return 'cbor';
  if (contentFormat !== undefined) throw new RejectError('content-format', `Content-Format ${contentFormat} is not one of 42 (binary frame), 50 (JSON), 60 (CBOR)`);
  if (payload[0] === 0x01) return 'binary';
  return payload[0] === 0x7b ? 'json' : 'cbor';
}

function fromFrame(payload: Buffer, receivedAtMs: number): DecodedReading {
  try {
    const frame = decodeFrame(payload);
    const obis = Object.fromEntries(frame.values.map(obisEntry));
    return { encoding: 'binary', eui64: frame.eui64, reading: { ts: frame.timestamp ? frame.timestamp * 1000 : receivedAtMs, meter: frame.meter, obis } };
  } catch (error) {
    if (error instanceof FrameError) throw new RejectError(error.reason, error.message);
    throw error;
  }
}

function fromDocument(payload: Buffer, encoding: 'json' | 'cbor', maxBytes: number, receivedAtMs: number): DecodedReading {
  let value: unknown;
  try {
    value = decodePayload(payload, maxBytes).value;
  } catch (error) {
    if (error instanceof DecodeError) throw new RejectError(error.reason, error.message);
    throw error;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new RejectError('schema', `a ${encoding.toUpperCase()} reading must be one object (a map), not ${Array.isArray(value) ? 'an array' : typeof value}`);
  const { eui64, ...rest } = value as Record<string, unknown>;
  if (eui64 !== undefined && (typeof eui64 !== 'string' || !EUI64.test(eui64))) throw new RejectError('schema', '/eui64 must be 16 hexadecimal digits');
  const reading = { ts: receivedAtMs, ...rest };
  const validate = validators().reading;
  if (!validate(reading)) throw new RejectError('schema', `reading ${describeErrors(validate)}`);
  return { encoding, reading, ...(typeof eui64 === 'string' ? { eui64: eui64.toLowerCase() } : {}) };
}

/** Decodes one POSTed reading; the node's `ts` is kept, a missing one is the receive time. */
export function decodeReading(payload: Buffer, contentFormat: number | string | undefined, maxBytes: number, receivedAtMs: number): DecodedReading {
  if (payload.length > maxBytes) throw new RejectError('too-large', `payload of ${payload.length} bytes exceeds ${maxBytes}`);
  if (payload.length === 0) throw new RejectError('empty', 'empty payload: POST one reading (JSON, CBOR or a binary frame)');
  const encoding = encodingOf(payload, contentFormat);
  return encoding === 'binary' ? fromFrame(payload, receivedAtMs) : fromDocument(payload, encoding, maxBytes, receivedAtMs);
}
