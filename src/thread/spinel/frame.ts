import { SpinelReader, SpinelWriter } from './buffer.js';
import { commandName, PROPERTY_COMMANDS, propertyName } from './constants.js';

/** Header byte: flag bits `10`, then IID (2 bits), then TID (4 bits). */
export const HEADER_FLAG = 0x80;

export interface SpinelFrame {
  iid: number;
  tid: number;
  command: number;
  /** Present for the PROP_VALUE_* commands. */
  property?: number;
  payload: Uint8Array;
}

export class SpinelFrameError extends Error {
  constructor(message: string) {
    super(`spinel: ${message}`);
    this.name = 'SpinelFrameError';
  }
}

export function encodeHeader(iid: number, tid: number): number {
  if (iid < 0 || iid > 3 || tid < 0 || tid > 15) throw new RangeError(`spinel: header needs iid 0-3 and tid 0-15, got iid ${iid} tid ${tid}`);
  return HEADER_FLAG | (iid << 4) | tid;
}

export function encodeSpinelFrame(frame: SpinelFrame): Buffer {
  const writer = new SpinelWriter().u8(encodeHeader(frame.iid, frame.tid)).packed(frame.command);
  if (frame.property !== undefined) writer.packed(frame.property);
  return writer.bytes(frame.payload).toBuffer();
}

/** Decodes one unescaped HDLC payload; a header whose flag bits are not `10` is not Spinel. */
export function decodeSpinelFrame(bytes: Uint8Array): SpinelFrame {
  if (bytes.length < 2) throw new SpinelFrameError(`frame of ${bytes.length} byte(s) is too short for header and command`);
  const header = bytes[0]!;
  if ((header & 0xc0) !== HEADER_FLAG) throw new SpinelFrameError(`header 0x${header.toString(16).padStart(2, '0')} has flag bits ${(header >> 6).toString(2).padStart(2, '0')}, not 10`);
  const reader = new SpinelReader(bytes);
  reader.u8();
  const command = reader.packed();
  const property = PROPERTY_COMMANDS.has(command) ? reader.packed() : undefined;
  return { iid: (header >> 4) & 0x03, tid: header & 0x0f, command, property, payload: reader.rest() };
}

export function describeFrame(frame: SpinelFrame): string {
  const prop = frame.property === undefined ? '' : ` ${propertyName(frame.property)}`;
  return `${commandName(frame.command)}${prop} (iid ${frame.iid}, tid ${frame.tid}, ${frame.payload.length} payload bytes)`;
}
