/**
 * A small GNU-format tar writer, byte-compatible with
 * `tar --format=gnu --numeric-owner --owner=0 --group=0 --mtime=@N` as OpenWrt's ipkg-build runs it:
 * 512-byte headers, magic `ustar  \0`, empty user/group names, 10240-byte records.
 */

export type TarEntryType = 'file' | 'directory';

export interface TarEntry {
  /** Archive path as GNU tar stores it, e.g. `./` or `./usr/bin/tool` (directories end in `/`). */
  path: string;
  type: TarEntryType;
  /** Permission bits only, e.g. 0o755. */
  mode: number;
  content?: Uint8Array;
}

const BLOCK = 512;
const RECORD = BLOCK * 20;
const LONG_NAME_MARKER = '././@LongLink';

function writeString(header: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar: '${value}' does not fit in ${length} bytes`);
  bytes.copy(header, offset);
}

/** Zero-padded octal followed by a NUL, filling the whole field as GNU tar does. */
function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  const digits = value.toString(8).padStart(length - 1, '0');
  if (digits.length > length - 1) throw new Error(`tar: ${value} does not fit in a ${length}-byte octal field`);
  writeString(header, offset, length, `${digits}\0`);
}

function headerBlock(name: string, typeflag: string, mode: number, size: number, mtime: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  writeString(header, 0, 100, name);
  writeOctal(header, 100, 8, mode);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, mtime);
  header.fill(0x20, 148, 156);
  writeString(header, 156, 1, typeflag);
  writeString(header, 257, 8, 'ustar  \0');
  let sum = 0;
  for (const byte of header) sum += byte;
  writeString(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

function padded(content: Uint8Array): Buffer[] {
  const remainder = content.length % BLOCK;
  return remainder === 0 ? [Buffer.from(content)] : [Buffer.from(content), Buffer.alloc(BLOCK - remainder)];
}

/** Serialises entries in the given order; `mtime` is seconds since the epoch (SOURCE_DATE_EPOCH). */
export function writeTar(entries: readonly TarEntry[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.type === 'file' ? entry.content ?? new Uint8Array() : new Uint8Array();
    if (Buffer.byteLength(entry.path) > 99) {
      const longName = Buffer.from(`${entry.path}\0`);
      parts.push(headerBlock(LONG_NAME_MARKER, 'L', 0o644, longName.length, 0), ...padded(longName));
    }
    const name = Buffer.byteLength(entry.path) > 99 ? Buffer.from(entry.path).subarray(0, 100).toString('latin1') : entry.path;
    parts.push(headerBlock(name, entry.type === 'directory' ? '5' : '0', entry.mode, content.length, mtime));
    if (content.length) parts.push(...padded(content));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  const body = Buffer.concat(parts);
  const total = Math.ceil(body.length / RECORD) * RECORD;
  return total === body.length ? body : Buffer.concat([body, Buffer.alloc(total - body.length)]);
}

export interface TarMember {
  path: string;
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  content: Buffer;
}

/** Reads what `writeTar` (or GNU tar) wrote; used by the feed indexer and the tests. */
export function readTar(archive: Buffer): TarMember[] {
  const members: TarMember[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '');
    const octal = (start: number, length: number) => parseInt(field(start, length).trim() || '0', 8);
    const size = octal(124, 12);
    const typeflag = field(156, 1) || '0';
    const content = Buffer.from(archive.subarray(offset + BLOCK, offset + BLOCK + size));
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (typeflag === 'L') {
      longName = content.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    members.push({
      path: longName ?? field(0, 100),
      typeflag,
      mode: octal(100, 8),
      uid: octal(108, 8),
      gid: octal(116, 8),
      size,
      mtime: octal(136, 12),
      content,
    });
    longName = undefined;
  }
  return members;
}
