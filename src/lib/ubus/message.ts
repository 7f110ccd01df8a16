/**
 * ubus messages: an 8-byte header (`u8 version | u8 type | u16 seq BE | u32 peer BE`) followed by one
 * plain blob attribute of id 0 that holds the UBUS_ATTR_* attributes (plain, not blobmsg).
 */
import { BlobFormatError, BlobWriter, readBlobAttrs, readOuterBlob, type BlobAttr } from './blob-buffer.js';
import { decodeBlobmsgFields, writeBlobmsgFields, type BlobmsgField } from './blobmsg.js';

export const UBUS_MSG_HEADER_LEN = 8;
/** ubusd refuses larger messages (UBUS_MAX_MSGLEN). */
export const UBUS_MAX_MSGLEN = 1024 * 1024;
/** Object id of ubusd's event object (UBUS_SYSTEM_OBJECT_EVENT). */
export const UBUS_SYSTEM_OBJECT_EVENT = 1;

export const UBUS_MSG = {
  HELLO: 0,
  STATUS: 1,
  DATA: 2,
  PING: 3,
  LOOKUP: 4,
  INVOKE: 5,
  ADD_OBJECT: 6,
  REMOVE_OBJECT: 7,
  SUBSCRIBE: 8,
  UNSUBSCRIBE: 9,
  NOTIFY: 10,
  MONITOR: 11,
} as const;

export type UbusMsgTypeName = keyof typeof UBUS_MSG;

export const UBUS_ATTR = {
  UNSPEC: 0,
  STATUS: 1,
  OBJPATH: 2,
  OBJID: 3,
  METHOD: 4,
  OBJTYPE: 5,
  SIGNATURE: 6,
  DATA: 7,
  TARGET: 8,
  ACTIVE: 9,
  NO_REPLY: 10,
  SUBSCRIBERS: 11,
  USER: 12,
  GROUP: 13,
} as const;

/** The value each attribute carries. Ids (OBJID, OBJTYPE, TARGET, SUBSCRIBERS) are unsigned 32-bit. */
export interface UbusAttrValues {
  STATUS: number;
  OBJPATH: string;
  OBJID: number;
  METHOD: string;
  OBJTYPE: number;
  SIGNATURE: BlobmsgField[];
  DATA: BlobmsgField[];
  TARGET: number;
  ACTIVE: number;
  NO_REPLY: number;
  SUBSCRIBERS: number[];
  USER: string;
  GROUP: string;
  /** An attribute id this codec does not know; kept as raw bytes so it re-encodes unchanged. */
  UNSPEC: { id: number; payload: Buffer };
}

export type UbusAttrName = keyof UbusAttrValues;
export type UbusAttr = { [K in UbusAttrName]: { name: K; value: UbusAttrValues[K] } }[UbusAttrName];

export interface UbusMessage {
  type: number;
  seq: number;
  peer: number;
  attrs: UbusAttr[];
}

const ATTR_NAME_BY_ID = new Map<number, UbusAttrName>(
  Object.entries(UBUS_ATTR).map(([name, id]) => [id, name as UbusAttrName]),
);

export function msgTypeName(type: number): string {
  const entry = Object.entries(UBUS_MSG).find(([, id]) => id === type);
  return entry ? entry[0] : `type ${type}`;
}

export function getAttr<K extends UbusAttrName>(message: UbusMessage, name: K): UbusAttrValues[K] | undefined {
  const attr = message.attrs.find((candidate) => candidate.name === name);
  return attr ? (attr.value as UbusAttrValues[K]) : undefined;
}

export function attr<K extends UbusAttrName>(name: K, value: UbusAttrValues[K]): UbusAttr {
  return { name, value } as UbusAttr;
}

function writeAttr(writer: BlobWriter, item: UbusAttr): void {
  const id = item.name === 'UNSPEC' ? item.value.id : UBUS_ATTR[item.name];
  const start = writer.openAttr(id, false);
  switch (item.name) {
    case 'STATUS':
      writer.writeInt32BE(item.value);
      break;
    case 'OBJID':
    case 'OBJTYPE':
    case 'TARGET':
      writer.writeUInt32BE(item.value);
      break;
    case 'OBJPATH':
    case 'METHOD':
    case 'USER':
    case 'GROUP':
      writer.writeCString(item.value);
      break;
    case 'ACTIVE':
    case 'NO_REPLY':
      writer.writeUInt8(item.value);
      break;
    case 'DATA':
    case 'SIGNATURE':
      writeBlobmsgFields(writer, item.value);
      break;
    case 'SUBSCRIBERS':
      for (const id of item.value) {
        const child = writer.openAttr(UBUS_ATTR.UNSPEC, false);
        writer.writeUInt32BE(id);
        writer.closeAttr(child);
      }
      break;
    case 'UNSPEC':
      writer.writeBytes(item.value.payload);
      break;
  }
  writer.closeAttr(start);
}

export function encodeMessage(message: UbusMessage): Buffer {
  const writer = new BlobWriter(128);
  writer.writeUInt8(0);
  writer.writeUInt8(message.type);
  writer.writeUInt16BE(message.seq);
  writer.writeUInt32BE(message.peer);
  const outer = writer.openAttr(0, false);
  for (const item of message.attrs) writeAttr(writer, item);
  writer.closeAttr(outer);
  return writer.toBuffer();
}

function needBytes(raw: BlobAttr, bytes: number, name: string): void {
  if (raw.payload.length < bytes) throw new BlobFormatError(`ubus attribute ${name} needs ${bytes} bytes, has ${raw.payload.length}`);
}

function decodeAttr(raw: BlobAttr): UbusAttr {
  const name = raw.extended ? undefined : ATTR_NAME_BY_ID.get(raw.id);
  const cString = (): string => {
    const end = raw.payload.indexOf(0);
    return raw.payload.toString('utf8', 0, end < 0 ? raw.payload.length : end);
  };
  switch (name) {
    case 'STATUS':
      needBytes(raw, 4, name);
      return { name, value: raw.payload.readInt32BE(0) };
    case 'OBJID':
    case 'OBJTYPE':
    case 'TARGET':
      needBytes(raw, 4, name);
      return { name, value: raw.payload.readUInt32BE(0) };
    case 'OBJPATH':
    case 'METHOD':
    case 'USER':
    case 'GROUP':
      return { name, value: cString() };
    case 'ACTIVE':
    case 'NO_REPLY':
      needBytes(raw, 1, name);
      return { name, value: raw.payload.readUInt8(0) };
    case 'DATA':
    case 'SIGNATURE':
      return { name, value: decodeBlobmsgFields(raw.payload) };
    case 'SUBSCRIBERS':
      return { name, value: readBlobAttrs(raw.payload).map((child) => child.payload.readUInt32BE(0)) };
    default:
      return { name: 'UNSPEC', value: { id: raw.id, payload: Buffer.from(raw.payload) } };
  }
}

/** Decodes one whole message (header + blob); trailing bytes after the blob are an error. */
export function decodeMessage(bytes: Buffer): UbusMessage {
  if (bytes.length < UBUS_MSG_HEADER_LEN + 4) throw new BlobFormatError(`ubus message of ${bytes.length} bytes is shorter than its header`);
  const version = bytes.readUInt8(0);
  if (version !== 0) throw new BlobFormatError(`unsupported ubus message version ${version}`);
  const { attr: outer, paddedLength } = readOuterBlob(bytes.subarray(UBUS_MSG_HEADER_LEN));
  if (UBUS_MSG_HEADER_LEN + paddedLength !== bytes.length) {
    throw new BlobFormatError(`ubus message blob covers ${paddedLength} bytes, message has ${bytes.length - UBUS_MSG_HEADER_LEN}`);
  }
  return {
    type: bytes.readUInt8(1),
    seq: bytes.readUInt16BE(2),
    peer: bytes.readUInt32BE(4),
    attrs: readBlobAttrs(outer.payload).map(decodeAttr),
  };
}

/** Length of the message starting at `buffer[0]`, or undefined while its header is incomplete. */
export function messageLength(buffer: Buffer): number | undefined {
  if (buffer.length < UBUS_MSG_HEADER_LEN + 4) return undefined;
  const blobLength = buffer.readUInt32BE(UBUS_MSG_HEADER_LEN) & 0x00ffffff;
  return UBUS_MSG_HEADER_LEN + ((blobLength + 3) & ~3);
}

/** Short human description for logs: `INVOKE seq=2 peer=82cac76b`. */
export function describeMessage(message: UbusMessage): string {
  return `${msgTypeName(message.type)} seq=${message.seq} peer=${message.peer.toString(16).padStart(8, '0')}`;
}
