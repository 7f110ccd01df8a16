/**
 * libubox `blob` attributes: a big-endian u32 header (bit 31 = extended/blobmsg, bits 30..24 = id or
 * blobmsg type, bits 23..0 = length including the header but not the padding), the payload, then zero
 * padding to 4 bytes. A container's length covers its children including their padding.
 */

export const BLOB_HEADER_LEN = 4;
const BLOB_ATTR_EXTENDED = 0x80000000;
const BLOB_ATTR_ID_SHIFT = 24;
const BLOB_ATTR_ID_MASK = 0x7f;
const BLOB_ATTR_LEN_MASK = 0x00ffffff;

export function align4(length: number): number {
  return (length + 3) & ~3;
}

/** Appends blob attributes to a growing buffer; nested attributes are opened and closed explicitly. */
export class BlobWriter {
  private buffer: Buffer;
  private position = 0;

  constructor(initialSize = 256) {
    this.buffer = Buffer.alloc(initialSize);
  }

  get length(): number {
    return this.position;
  }

  private ensure(extra: number): void {
    if (this.position + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.position + extra) size *= 2;
    const grown = Buffer.alloc(size);
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  /** Writes a placeholder header; returns the offset to pass to `closeAttr`. */
  openAttr(id: number, extended: boolean): number {
    if (id < 0 || id > BLOB_ATTR_ID_MASK) throw new RangeError(`blob attribute id ${id} is out of range 0..127`);
    const start = this.position;
    this.ensure(BLOB_HEADER_LEN);
    this.buffer.writeUInt32BE(((extended ? BLOB_ATTR_EXTENDED : 0) | (id << BLOB_ATTR_ID_SHIFT)) >>> 0, start);
    this.position += BLOB_HEADER_LEN;
    return start;
  }

  /** Sets the attribute's unpadded length, then pads the buffer to 4 bytes. */
  closeAttr(start: number): void {
    const length = this.position - start;
    if (length > BLOB_ATTR_LEN_MASK) throw new RangeError(`blob attribute of ${length} bytes exceeds 16 MiB`);
    const header = this.buffer.readUInt32BE(start) & ~BLOB_ATTR_LEN_MASK;
    this.buffer.writeUInt32BE((header | length) >>> 0, start);
    this.pad();
  }

  pad(): void {
    const padded = align4(this.position);
    this.ensure(padded - this.position);
    this.buffer.fill(0, this.position, padded);
    this.position = padded;
  }

  writeUInt8(value: number): void {
    this.ensure(1);
    this.buffer.writeUInt8(value & 0xff, this.position);
    this.position += 1;
  }

  writeUInt16BE(value: number): void {
    this.ensure(2);
    this.buffer.writeUInt16BE(value & 0xffff, this.position);
    this.position += 2;
  }

  writeInt16BE(value: number): void {
    this.ensure(2);
    this.buffer.writeInt16BE(value, this.position);
    this.position += 2;
  }

  writeInt32BE(value: number): void {
    this.ensure(4);
    this.buffer.writeInt32BE(value, this.position);
    this.position += 4;
  }

  writeUInt32BE(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32BE(value >>> 0, this.position);
    this.position += 4;
  }

  writeBigInt64BE(value: bigint): void {
    this.ensure(8);
    this.buffer.writeBigInt64BE(value, this.position);
    this.position += 8;
  }

  writeDoubleBE(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleBE(value, this.position);
    this.position += 8;
  }

  writeBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.position);
    this.position += bytes.length;
  }

  /** UTF-8 bytes followed by a NUL, as blobmsg strings and ubus string attributes are stored. */
  writeCString(text: string): void {
    this.writeBytes(Buffer.from(text, 'utf8'));
    this.writeUInt8(0);
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.position));
  }
}

/** One attribute found by `readBlobAttrs`. */
export interface BlobAttr {
  extended: boolean;
  /** Attribute id, or the blobmsg type when `extended`. */
  id: number;
  /** Unpadded length including the header. */
  length: number;
  header: number;
  payload: Buffer;
}

export class BlobFormatError extends Error {
  override name = 'BlobFormatError';
}

/** Splits a region into consecutive blob attributes; a length that overruns the region is an error. */
export function readBlobAttrs(region: Buffer): BlobAttr[] {
  const attrs: BlobAttr[] = [];
  let offset = 0;
  while (offset < region.length) {
    if (region.length - offset < BLOB_HEADER_LEN) throw new BlobFormatError(`truncated blob header at offset ${offset}`);
    const header = region.readUInt32BE(offset);
    const length = header & BLOB_ATTR_LEN_MASK;
    if (length < BLOB_HEADER_LEN || offset + length > region.length) {
      throw new BlobFormatError(`blob attribute at offset ${offset} has length ${length}, ${region.length - offset} bytes left`);
    }
    attrs.push({
      extended: (header & BLOB_ATTR_EXTENDED) !== 0,
      id: (header >>> BLOB_ATTR_ID_SHIFT) & BLOB_ATTR_ID_MASK,
      length,
      header,
      payload: region.subarray(offset + BLOB_HEADER_LEN, offset + length),
    });
    offset += align4(length);
  }
  return attrs;
}

/** Reads the single outer attribute at the start of `buffer` (the blob_buf head); returns it and its padded size. */
export function readOuterBlob(buffer: Buffer): { attr: BlobAttr; paddedLength: number } {
  if (buffer.length < BLOB_HEADER_LEN) throw new BlobFormatError('buffer shorter than a blob header');
  const header = buffer.readUInt32BE(0);
  const length = header & BLOB_ATTR_LEN_MASK;
  if (length < BLOB_HEADER_LEN || length > buffer.length) {
    throw new BlobFormatError(`outer blob length ${length} does not fit ${buffer.length} bytes`);
  }
  return {
    attr: {
      extended: (header & BLOB_ATTR_EXTENDED) !== 0,
      id: (header >>> BLOB_ATTR_ID_SHIFT) & BLOB_ATTR_ID_MASK,
      length,
      header,
      payload: buffer.subarray(BLOB_HEADER_LEN, length),
    },
    paddedLength: align4(length),
  };
}

export function blobLengthFromHeader(header: number): number {
  return header & BLOB_ATTR_LEN_MASK;
}
