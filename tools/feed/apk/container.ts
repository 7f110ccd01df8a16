/**
 * The ADB file container: `ADB.` + schema + blocks (ADB, then SIG, then DATA; each padded to 8 bytes),
 * written as `ADBd` + raw deflate of that stream (zlib level 9, memLevel 8, as apk's default). pako
 * reproduces C zlib's output byte for byte; node's bundled zlib does not (../shared/conformance/apk).
 */
import pako from 'pako';
import { BLOCK_TYPE } from './schema.js';

export class AdbContainerError extends Error {}

export interface AdbBlock {
  type: number;
  payload: Buffer;
  /** Offset of the block header in the uncompressed stream. */
  offset: number;
}

const MAGIC_PLAIN = 'ADB.';
const MAGIC_DEFLATE = 'ADBd';
const MAGIC_SPEC = 'ADBc';
const BLOCK_ALIGNMENT = 8;

export function encodeBlock(type: number, payload: Uint8Array): Buffer {
  const raw = 4 + payload.length;
  if (raw >= 0x40000000) throw new AdbContainerError('blocks of 1 GiB and more (EXT) are not written');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(((type << 30) | raw) >>> 0);
  const padding = Buffer.alloc((BLOCK_ALIGNMENT - (raw % BLOCK_ALIGNMENT)) % BLOCK_ALIGNMENT);
  return Buffer.concat([header, payload, padding]);
}

/** The uncompressed stream: magic, schema, then the given encoded blocks. */
export function encodeStream(schema: number, blocks: readonly Buffer[]): Buffer {
  const head = Buffer.alloc(8);
  head.write(MAGIC_PLAIN, 0, 'latin1');
  head.writeUInt32LE(schema, 4);
  return Buffer.concat([head, ...blocks]);
}

export function compress(stream: Buffer): Buffer {
  const deflated = pako.deflateRaw(stream, { level: 9, memLevel: 8, windowBits: 15 });
  return Buffer.concat([Buffer.from(MAGIC_DEFLATE, 'latin1'), Buffer.from(deflated)]);
}

/** The uncompressed stream of a file in any of the three forms. */
export function decompress(file: Buffer): Buffer {
  const magic = file.subarray(0, 4).toString('latin1');
  if (magic === MAGIC_PLAIN) return file;
  let deflated: Buffer;
  if (magic === MAGIC_DEFLATE) deflated = file.subarray(4);
  else if (magic === MAGIC_SPEC) {
    if (file[4] !== 1) throw new AdbContainerError(`compression ${file[4]} is not supported (only deflate)`);
    deflated = file.subarray(6);
  } else throw new AdbContainerError('not an ADB file (no ADB./ADBd/ADBc magic)');
  try {
    const stream = Buffer.from(pako.inflateRaw(deflated));
    if (stream.subarray(0, 4).toString('latin1') !== MAGIC_PLAIN) throw new AdbContainerError('inflated stream does not start with ADB.');
    return stream;
  } catch (error) {
    if (error instanceof AdbContainerError) throw error;
    throw new AdbContainerError(`file format is invalid or inconsistent: ${String(error)}`);
  }
}

export interface ParsedStream {
  schema: number;
  blocks: AdbBlock[];
}

/** Splits an uncompressed stream into its blocks, checking their order (one ADB, SIGs, DATAs). */
export function parseStream(stream: Buffer): ParsedStream {
  if (stream.length < 8 || stream.subarray(0, 4).toString('latin1') !== MAGIC_PLAIN) throw new AdbContainerError('not an ADB stream');
  const schema = stream.readUInt32LE(4);
  const blocks: AdbBlock[] = [];
  let offset = 8;
  while (offset < stream.length) {
    if (offset + 4 > stream.length) throw new AdbContainerError(`truncated block header at ${offset}`);
    const word = stream.readUInt32LE(offset);
    const type = word >>> 30;
    const raw = word & 0x3fffffff;
    if (type === BLOCK_TYPE.ext) throw new AdbContainerError('EXT blocks are not supported');
    if (raw < 4 || offset + raw > stream.length) throw new AdbContainerError(`block at ${offset} runs past the end of the file`);
    blocks.push({ type, payload: stream.subarray(offset + 4, offset + raw), offset });
    offset += Math.ceil(raw / BLOCK_ALIGNMENT) * BLOCK_ALIGNMENT;
  }
  const order = blocks.map((block) => block.type);
  if (order[0] !== BLOCK_TYPE.adb) throw new AdbContainerError('the first block is not an ADB block');
  const rank = (type: number) => (type === BLOCK_TYPE.adb ? 0 : type === BLOCK_TYPE.sig ? 1 : 2);
  for (let i = 1; i < order.length; i++) {
    if (order[i] === BLOCK_TYPE.adb || rank(order[i]!) < rank(order[i - 1]!)) throw new AdbContainerError('blocks out of order (ADB, SIG..., DATA...)');
  }
  return { schema, blocks };
}
