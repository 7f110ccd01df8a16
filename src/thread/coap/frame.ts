// The compact binary reading frame a Thread node may POST instead of JSON or CBOR (docs/thread.md,
// "Binary frame"). All integers big-endian:
//
//   offset   size  field
//   0        1     version, 0x01
//   1        8     EUI-64 of the node
//   9        1     meter id length L, 1..64
//   10       L     meter id, ASCII (the reading `meter` rule: no white space, / # +)
//   10+L     4     timestamp, Unix seconds, uint32 (0: the gateway's receive time)
//   14+L     1     value count N, 1..32
//   15+L     8*N   values: OBIS C, D, E (3 x uint8), decimal scaler (int8), value (int32)
//                  -> key `1-0:C.D.E`, value = int32 x 10^scaler
//   15+L+8N  2     CRC-16/CCITT-FALSE over bytes 0 .. 14+L+8N
import { crc16CcittFalse } from './crc16.js';

export const FRAME_VERSION = 0x01;
export const MAX_METER_ID_BYTES = 64;
export const MAX_FRAME_VALUES = 32;
const VALUE_BYTES = 8;
const HEADER_BYTES = 10;
/** The largest valid frame: 1 + 8 + 1 + 64 + 4 + 1 + 32 x 8 + 2 = 337. */
export const MAX_FRAME_BYTES = HEADER_BYTES + MAX_METER_ID_BYTES + 5 + MAX_FRAME_VALUES * VALUE_BYTES + 2;

export interface FrameValue {
  obis: [number, number, number];
  scaler: number;
  raw: number;
}

export interface ReadingFrame {
  eui64: string;
  meter: string;
  /** Unix seconds; 0 = not set by the node. */
  timestamp: number;
  values: FrameValue[];
}

export type FrameErrorReason = 'truncated' | 'too-large' | 'version' | 'bad-crc' | 'malformed';

export class FrameError extends Error {
  constructor(readonly reason: FrameErrorReason, message: string) {
    super(message);
  }
}

/** `1-0:C.D.E` and the scaled value of one frame value. */
export function obisEntry(value: FrameValue): [string, number] {
  const [c, d, e] = value.obis;
  return [`1-0:${c}.${d}.${e}`, Number((value.raw * 10 ** value.scaler).toPrecision(12))];
}

/** The frame's CRC, checked before any field is trusted. */
function checkLengthAndCrc(bytes: Buffer): void {
  if (bytes.length > MAX_FRAME_BYTES) throw new FrameError('too-large', `binary frame of ${bytes.length} bytes is longer than the largest valid frame (${MAX_FRAME_BYTES})`);
  if (bytes.length < HEADER_BYTES + 1 + 5 + VALUE_BYTES + 2) throw new FrameError('truncated', `binary frame of ${bytes.length} bytes is shorter than the smallest valid frame (${HEADER_BYTES + 1 + 5 + VALUE_BYTES + 2})`);
  if (bytes[0] !== FRAME_VERSION) throw new FrameError('version', `binary frame version ${bytes[0]} is not supported (expected ${FRAME_VERSION})`);
  const expected = bytes.readUInt16BE(bytes.length - 2);
  const actual = crc16CcittFalse(bytes, 0, bytes.length - 2);
  if (expected !== actual) {
    throw new FrameError('bad-crc', `bad CRC: frame says 0x${hex4(expected)}, CRC-16/CCITT-FALSE of its ${bytes.length - 2} bytes is 0x${hex4(actual)}`);
  }
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

export function decodeFrame(bytes: Buffer): ReadingFrame {
  checkLengthAndCrc(bytes);
  const eui64 = bytes.subarray(1, 9).toString('hex');
  const meterLength = bytes[9]!;
  if (meterLength < 1 || meterLength > MAX_METER_ID_BYTES) throw new FrameError('malformed', `meter id length ${meterLength} is outside 1..${MAX_METER_ID_BYTES}`);
  const valuesAt = HEADER_BYTES + meterLength + 5;
  if (valuesAt + 2 > bytes.length) throw new FrameError('truncated', `binary frame ends inside the meter id or timestamp (meter id length ${meterLength}, ${bytes.length} bytes)`);
  const meterBytes = bytes.subarray(HEADER_BYTES, HEADER_BYTES + meterLength);
  if (meterBytes.some((byte) => byte <= 0x20 || byte >= 0x7f)) throw new FrameError('malformed', 'meter id is not printable ASCII without spaces');
  const meter = meterBytes.toString('ascii');
  const timestamp = bytes.readUInt32BE(HEADER_BYTES + meterLength);
  const count = bytes[valuesAt - 1]!;
  if (count < 1 || count > MAX_FRAME_VALUES) throw new FrameError('malformed', `value count ${count} is outside 1..${MAX_FRAME_VALUES}`);
  const expectedLength = valuesAt + count * VALUE_BYTES + 2;
  if (bytes.length !== expectedLength) {
    const problem = bytes.length < expectedLength ? 'truncated' : 'malformed';
    throw new FrameError(problem, `binary frame with ${count} values must be ${expectedLength} bytes, got ${bytes.length}`);
  }
  const values: FrameValue[] = [];
  for (let i = 0, at = valuesAt; i < count; i++, at += VALUE_BYTES) {
    values.push({ obis: [bytes[at]!, bytes[at + 1]!, bytes[at + 2]!], scaler: bytes.readInt8(at + 3), raw: bytes.readInt32BE(at + 4) });
  }
  return { eui64, meter, timestamp, values };
}

export function encodeFrame(frame: ReadingFrame): Buffer {
  const meter = Buffer.from(frame.meter, 'ascii');
  if (!/^[0-9a-f]{16}$/.test(frame.eui64)) throw new Error(`EUI-64 '${frame.eui64}' is not 16 lowercase hex digits`);
  if (meter.length < 1 || meter.length > MAX_METER_ID_BYTES) throw new Error(`meter id must be 1..${MAX_METER_ID_BYTES} bytes`);
  if (frame.values.length < 1 || frame.values.length > MAX_FRAME_VALUES) throw new Error(`a frame holds 1..${MAX_FRAME_VALUES} values`);
  const out = Buffer.alloc(HEADER_BYTES + meter.length + 5 + frame.values.length * VALUE_BYTES + 2);
  out[0] = FRAME_VERSION;
  Buffer.from(frame.eui64, 'hex').copy(out, 1);
  out[9] = meter.length;
  meter.copy(out, HEADER_BYTES);
  let at = HEADER_BYTES + meter.length;
  out.writeUInt32BE(frame.timestamp, at);
  out[at + 4] = frame.values.length;
  at += 5;
  for (const value of frame.values) {
    out[at] = value.obis[0]; out[at + 1] = value.obis[1]; out[at + 2] = value.obis[2];
    out.writeInt8(value.scaler, at + 3);
    out.writeInt32BE(value.raw, at + 4);
    at += VALUE_BYTES;
  }
  out.writeUInt16BE(crc16CcittFalse(out, 0, at), at);
  return out;
}
