/**
 * blobmsg: extended blob attributes whose id is a type and whose payload starts with a name header
 * (`u16 namelen BE | name | NUL`, padded to 4 bytes). Fields keep their exact wire type so that a decoded
 * message re-encodes to the same bytes; `blobmsg-js.ts` converts between fields and plain JS values.
 */
import { align4, BlobFormatError, BlobWriter, readBlobAttrs, type BlobAttr } from './blob-buffer.js';

export const BLOBMSG_TYPE = {
  unspec: 0,
  array: 1,
  table: 2,
  string: 3,
  int64: 4,
  int32: 5,
  int16: 6,
  int8: 7,
  double: 8,
} as const;

export type BlobmsgTypeName = keyof typeof BLOBMSG_TYPE;

const TYPE_NAMES: BlobmsgTypeName[] = ['unspec', 'array', 'table', 'string', 'int64', 'int32', 'int16', 'int8', 'double'];

export function blobmsgTypeName(id: number): BlobmsgTypeName | undefined {
  return TYPE_NAMES[id];
}

export type BlobmsgField =
  | { type: 'unspec'; name: string; value: null }
  | { type: 'array' | 'table'; name: string; value: BlobmsgField[] }
  | { type: 'string'; name: string; value: string }
  | { type: 'int64'; name: string; value: bigint }
  | { type: 'int32' | 'int16' | 'int8' | 'double'; name: string; value: number };

const NAME_HEADER_FIXED = 3; // u16 length + NUL

export function writeBlobmsgField(writer: BlobWriter, field: BlobmsgField): void {
  const start = writer.openAttr(BLOBMSG_TYPE[field.type], true);
  const name = Buffer.from(field.name, 'utf8');
  if (name.length > 0xffff) throw new RangeError(`blobmsg name of ${name.length} bytes is too long`);
  writer.writeUInt16BE(name.length);
  writer.writeBytes(name);
  writer.writeUInt8(0);
  writer.pad();
  switch (field.type) {
    case 'unspec':
      break;
    case 'array':
    case 'table':
      for (const child of field.value) writeBlobmsgField(writer, field.type === 'array' ? { ...child, name: '' } : child);
      break;
    case 'string':
      writer.writeCString(field.value);
      break;
    case 'int64':
      writer.writeBigInt64BE(field.value);
      break;
    case 'int32':
      writer.writeInt32BE(field.value | 0);
      break;
    case 'int16':
      writer.writeInt16BE(((field.value << 16) >> 16));
      break;
    case 'int8':
      writer.writeUInt8(field.value);
      break;
    case 'double':
      writer.writeDoubleBE(field.value);
      break;
  }
  writer.closeAttr(start);
}

export function writeBlobmsgFields(writer: BlobWriter, fields: readonly BlobmsgField[]): void {
  for (const field of fields) writeBlobmsgField(writer, field);
}

/** Encodes fields as the content of a table (what goes inside UBUS_ATTR_DATA). */
export function encodeBlobmsgFields(fields: readonly BlobmsgField[]): Buffer {
  const writer = new BlobWriter();
  writeBlobmsgFields(writer, fields);
  return writer.toBuffer();
}

function readName(attr: BlobAttr): { name: string; dataOffset: number } {
  const payload = attr.payload;
  if (payload.length < 2) throw new BlobFormatError('blobmsg attribute too short for its name header');
  const nameLength = payload.readUInt16BE(0);
  const dataOffset = align4(NAME_HEADER_FIXED + nameLength);
  if (dataOffset > payload.length) throw new BlobFormatError(`blobmsg name of ${nameLength} bytes overruns its attribute`);
  return { name: payload.toString('utf8', 2, 2 + nameLength), dataOffset };
}

function need(data: Buffer, bytes: number, type: string): void {
  if (data.length < bytes) throw new BlobFormatError(`blobmsg ${type} needs ${bytes} bytes, has ${data.length}`);
}

export function decodeBlobmsgAttr(attr: BlobAttr): BlobmsgField {
  if (!attr.extended) throw new BlobFormatError(`expected a blobmsg (extended) attribute, got plain id ${attr.id}`);
  const type = blobmsgTypeName(attr.id);
  if (!type) throw new BlobFormatError(`unknown blobmsg type ${attr.id}`);
  const { name, dataOffset } = readName(attr);
  const data = attr.payload.subarray(dataOffset);
  switch (type) {
    case 'unspec':
      return { type, name, value: null };
    case 'array':
    case 'table':
      return { type, name, value: decodeBlobmsgFields(data) };
    case 'string': {
      const end = data.indexOf(0);
      return { type, name, value: data.toString('utf8', 0, end < 0 ? data.length : end) };
    }
    case 'int64':
      need(data, 8, type);
      return { type, name, value: data.readBigInt64BE(0) };
    case 'int32':
      need(data, 4, type);
      return { type, name, value: data.readInt32BE(0) };
    case 'int16':
      need(data, 2, type);
      return { type, name, value: data.readInt16BE(0) };
    case 'int8':
      need(data, 1, type);
      return { type, name, value: data.readUInt8(0) };
    case 'double':
      need(data, 8, type);
      return { type, name, value: data.readDoubleBE(0) };
  }
}

/** Decodes the content of a table or array. */
export function decodeBlobmsgFields(region: Buffer): BlobmsgField[] {
  return readBlobAttrs(region).map(decodeBlobmsgAttr);
}
