/**
 * Reads one segment file front to back for recovery. A record is accepted only when its header is
 * sane, it lies wholly inside the file and its CRC matches. After a damaged stretch the scanner
 * resynchronises on the next magic that starts a valid record; what cannot be resynchronised up to
 * the end of the file is the torn tail.
 */
import { readSync } from 'node:fs';
import { HEADER_BYTES, MAGIC_BYTES, MAX_KEY_BYTES, MAX_BODY_BYTES, RecordKind, checksumMatches, decodeHeader, emptyHeader, recordBytes, type RecordHeader } from './record-codec.js';

const WINDOW_BYTES = 1 << 20;

/** Called per valid record; `bytes[bodyStart...]` holds its key and body, valid only during the call. */
export type OnRecord = (header: RecordHeader, offset: number, bytes: Buffer, bodyStart: number) => void;

export interface ScanResult {
  /** End of the last valid record: everything after it is the torn tail. */
  validEnd: number;
  records: number;
  corruptRegions: number;
  skippedBytes: number;
}

/** A sliding read window over a file descriptor; `reset` points it at another file, keeping its buffer. */
export class FileWindow {
  buf = Buffer.alloc(0);
  private backing = Buffer.alloc(0);
  start = 0;

  constructor(private fd = -1, public size = 0) {}

  reset(fd: number, size: number): this {
    this.fd = fd;
    this.size = size;
    this.buf = this.backing.subarray(0, 0);
    this.start = 0;
    return this;
  }

  /** Makes [pos, pos+length) available in buf; false when it lies beyond the end of the file. */
  ensure(pos: number, length: number): boolean {
    if (pos + length > this.size) return false;
    if (pos >= this.start && pos + length <= this.start + this.buf.length) return true;
    const want = Math.min(Math.max(length, WINDOW_BYTES), this.size - pos);
    if (this.backing.length < want || this.backing.length > WINDOW_BYTES * 2) this.backing = Buffer.allocUnsafe(Math.max(want, WINDOW_BYTES));
    this.buf = this.backing;
    let got = 0;
    while (got < want) {
      const n = readSync(this.fd, this.backing, got, want - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    this.start = pos;
    if (got < want) {
      this.buf = this.buf.subarray(0, got);
      return false;
    }
    this.buf = this.buf.subarray(0, want);
    return true;
  }
}

/** `onDamage` is called before the first record after each damaged stretch that was skipped. */
export function scanSegment(fd: number, size: number, lastDataSeq: number, onRecord: OnRecord, window = new FileWindow(), onDamage?: () => void): ScanResult {
  const file = window.reset(fd, size);
  const result: ScanResult = { validEnd: 0, records: 0, corruptRegions: 0, skippedBytes: 0 };
  let maxSeq = lastDataSeq;
  const scratch = emptyHeader();

  const recordAt = (pos: number): RecordHeader | null => {
    if (!file.ensure(pos, HEADER_BYTES)) return null;
    const header = decodeHeader(file.buf, pos - file.start, scratch);
    if (!header || header.keyLength > MAX_KEY_BYTES || header.bodyLength > MAX_BODY_BYTES) return null;
    if (!file.ensure(pos, recordBytes(header))) return null;
    if (!checksumMatches(file.buf, pos - file.start, header)) return null;
    if (header.kind === RecordKind.Data && header.seq <= maxSeq) return null;
    return header;
  };

  const resync = (from: number): number => {
    let pos = from;
    while (pos + HEADER_BYTES <= size) {
      if (!file.ensure(pos, Math.min(WINDOW_BYTES, size - pos))) return -1;
      const hit = file.buf.indexOf(MAGIC_BYTES, pos - file.start);
      if (hit < 0) {
        pos = file.start + file.buf.length - 1;
        if (file.buf.length <= 1) return -1;
        continue;
      }
      const candidate = file.start + hit;
      if (recordAt(candidate)) return candidate;
      pos = candidate + 1;
    }
    return -1;
  };

  let pos = 0;
  while (pos < size) {
    let header = recordAt(pos);
    if (!header) {
      const next = resync(pos + 1);
      if (next < 0) break;
      result.corruptRegions++;
      result.skippedBytes += next - pos;
      onDamage?.();
      pos = next;
      header = recordAt(pos);
      if (!header) break;
    }
    const length = recordBytes(header);
    onRecord(header, pos, file.buf, pos - file.start + HEADER_BYTES);
    if (header.kind === RecordKind.Data) maxSeq = header.seq;
    result.records++;
    pos += length;
    result.validEnd = pos;
  }
  return result;
}
