/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320). zlib's native crc32 where node has it (20.15+,
 * 22.2+; OpenWrt 24.10), otherwise a slicing-by-4 table version (node 18 on OpenWrt 23.05). Reading a
 * backlog back checks the CRC of every record, so this is the drain's hottest code.
 */
import * as zlib from 'node:zlib';

type NativeCrc32 = (data: Uint8Array, value?: number) => number;

const TABLES = buildTables();

function buildTables(): Uint32Array[] {
  const base = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    base[n] = c >>> 0;
  }
  const tables = [base];
  for (let t = 1; t < 4; t++) {
    const prev = tables[t - 1];
    const next = new Uint32Array(256);
    for (let n = 0; n < 256; n++) next[n] = (prev[n] >>> 8) ^ base[prev[n] & 0xff];
    tables.push(next);
  }
  return tables;
}

/** The table version: continues a CRC over bytes[start, end). */
export function crc32UpdateJs(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  const [t0, t1, t2, t3] = TABLES;
  let c = ~crc >>> 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = t3[c & 0xff] ^ t2[(c >>> 8) & 0xff] ^ t1[(c >>> 16) & 0xff] ^ t0[c >>> 24];
  }
  for (; i < end; i++) c = t0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * crc32Update on zlib's crc32. Also for a record's 20 header bytes: the services run without V8's JIT
 * (tools/feed/catalog.ts), where the table loop costs more than a view and a native call.
 */
export function nativeCrc32Update(native: NativeCrc32): typeof crc32UpdateJs {
  return (crc, bytes, start = 0, end = bytes.length) => native(new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start), crc);
}

const native = (zlib as unknown as { crc32?: NativeCrc32 }).crc32;

/** Continues a CRC over bytes[start, end). Start with crc = 0; the result is the finished CRC. */
export const crc32Update: typeof crc32UpdateJs = native ? nativeCrc32Update(native) : crc32UpdateJs;

export function crc32(bytes: Uint8Array): number {
  return crc32Update(0, bytes);
}
