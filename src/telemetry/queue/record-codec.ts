/**
 * On-disk record layout (little endian), 24-byte header followed by key and body:
 *
 *   0  u16  magic 0x5153 ("SQ" on disk)
 *   2  u8   bits 0-1 priority, bits 2-3 kind, bits 4-7 format version (1)
 *   3  u8   key length in bytes (UTF-8)
 *   4  u32  body length in bytes
 *   8  u48  seq (data: the record's seq; ack/segment-start: the next seq to assign)
 *  14  u48  time in ms since the epoch (data: enqueue time)
 *  20  u32  CRC-32 of header bytes 0..19, key and body
 *
 * Kinds: data (key = meter id, body = payload), ack (body = inclusive seq ranges [u48 first, u48 last]
 * of one priority class that were acknowledged or dropped), segment-start (empty, first in every segment).
 */
import { crc32Update } from './crc32.js';

export type Priority = 'alarm' | 'event' | 'telemetry';
export const PRIORITIES: readonly Priority[] = ['alarm', 'event', 'telemetry'];
export const PRIORITY_CODE: Record<Priority, number> = { alarm: 0, event: 1, telemetry: 2 };

export const HEADER_BYTES = 24;
export const MAGIC = 0x5153;
export const MAGIC_BYTES = Buffer.from([0x53, 0x51]);
const FORMAT_VERSION = 1;
export const MAX_KEY_BYTES = 255;
/** Far above ThingsBoard's 64 KiB; guards recovery against absurd lengths read from a damaged header. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
const RANGE_BYTES = 12;

export enum RecordKind { Data = 0, Ack = 1, SegmentStart = 2 }

export interface RecordHeader {
  kind: RecordKind;
  priority: number;
  keyLength: number;
  bodyLength: number;
  seq: number;
  time: number;
  crc: number;
}

export function recordBytes(header: Pick<RecordHeader, 'keyLength' | 'bodyLength'>): number {
  return HEADER_BYTES + header.keyLength + header.bodyLength;
}

function writeU48(buf: Buffer, value: number, offset: number): void {
  buf.writeUInt32LE(value % 0x1_0000_0000, offset);
  buf.writeUInt16LE(Math.floor(value / 0x1_0000_0000), offset + 4);
}

function readU48(buf: Uint8Array, offset: number): number {
  const low = buf[offset] | (buf[offset + 1] << 8) | (buf[offset + 2] << 16);
  const mid = buf[offset + 3] * 0x100_0000;
  const high = (buf[offset + 4] | (buf[offset + 5] << 8)) * 0x1_0000_0000;
  return low + mid + high;
}

function encode(kind: RecordKind, priority: number, seq: number, time: number, key: Buffer | null, body: Uint8Array | null): Buffer {
  const keyLength = key ? key.length : 0;
  const bodyLength = body ? body.length : 0;
  const out = Buffer.allocUnsafe(HEADER_BYTES + keyLength + bodyLength);
  out.writeUInt16LE(MAGIC, 0);
  out[2] = (FORMAT_VERSION << 4) | (kind << 2) | priority;
  out[3] = keyLength;
  out.writeUInt32LE(bodyLength, 4);
  writeU48(out, seq, 8);
  writeU48(out, Math.max(0, Math.floor(time)), 14);
  if (key) key.copy(out, HEADER_BYTES);
  if (body) out.set(body, HEADER_BYTES + keyLength);
  let crc = crc32Update(0, out, 0, 20);
  crc = crc32Update(crc, out, HEADER_BYTES, out.length);
  out.writeUInt32LE(crc, 20);
  return out;
}

export function encodeData(seq: number, priority: Priority, key: Buffer, payload: Uint8Array, enqueuedAt: number): Buffer {
  return encode(RecordKind.Data, PRIORITY_CODE[priority], seq, enqueuedAt, key, payload);
}

/** ranges: inclusive [first, last] seq pairs of one priority class. */
export function encodeAck(priorityCode: number, ranges: ReadonlyArray<readonly [number, number]>, nextSeq: number, time: number): Buffer {
  const body = Buffer.allocUnsafe(ranges.length * RANGE_BYTES);
  ranges.forEach(([first, last], i) => {
    writeU48(body, first, i * RANGE_BYTES);
    writeU48(body, last, i * RANGE_BYTES + 6);
  });
  return encode(RecordKind.Ack, priorityCode, nextSeq, time, null, body);
}

export function encodeSegmentStart(nextSeq: number, time: number): Buffer {
  return encode(RecordKind.SegmentStart, 0, nextSeq, time, null, null);
}

export function decodeAckRanges(body: Uint8Array): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let at = 0; at + RANGE_BYTES <= body.length; at += RANGE_BYTES) ranges.push([readU48(body, at), readU48(body, at + 6)]);
  return ranges;
}

export function emptyHeader(): RecordHeader {
  return { kind: RecordKind.Data, priority: 0, keyLength: 0, bodyLength: 0, seq: 0, time: 0, crc: 0 };
}

/** Parses and sanity-checks a header (into `into` when given); null when these bytes cannot be one. */
export function decodeHeader(buf: Uint8Array, at: number, into?: RecordHeader): RecordHeader | null {
  if (buf.length - at < HEADER_BYTES) return null;
  if ((buf[at] | (buf[at + 1] << 8)) !== MAGIC) return null;
  const flags = buf[at + 2];
  const kind = (flags >> 2) & 3;
  const priority = flags & 3;
  if (flags >> 4 !== FORMAT_VERSION || kind > RecordKind.SegmentStart || priority > 2) return null;
  const keyLength = buf[at + 3];
  const bodyLength = (buf[at + 4] | (buf[at + 5] << 8) | (buf[at + 6] << 16)) + buf[at + 7] * 0x100_0000;
  if (bodyLength > MAX_BODY_BYTES) return null;
  if (kind !== RecordKind.Data && keyLength !== 0) return null;
  if (kind === RecordKind.Ack && bodyLength % RANGE_BYTES !== 0) return null;
  if (kind === RecordKind.SegmentStart && bodyLength !== 0) return null;
  const crc = (buf[at + 20] | (buf[at + 21] << 8) | (buf[at + 22] << 16)) + buf[at + 23] * 0x100_0000;
  const header = into ?? emptyHeader();
  header.kind = kind;
  header.priority = priority;
  header.keyLength = keyLength;
  header.bodyLength = bodyLength;
  header.seq = readU48(buf, at + 8);
  header.time = readU48(buf, at + 14);
  header.crc = crc;
  return header;
}

/** True when the whole record (header at `at`, already decoded) in `buf` matches its checksum. */
export function checksumMatches(buf: Uint8Array, at: number, header: RecordHeader): boolean {
  const end = at + recordBytes(header);
  if (end > buf.length) return false;
  let crc = crc32Update(0, buf, at, at + 20);
  crc = crc32Update(crc, buf, at + HEADER_BYTES, end);
  return crc === header.crc;
}
