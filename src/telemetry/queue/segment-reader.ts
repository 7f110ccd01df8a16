/**
 * Reads records sequentially out of segment files through one reused window buffer, so reading a
 * backlog back allocates nothing per record. Damaged bytes are skipped by resynchronising on the next
 * magic that starts a record with a valid checksum.
 */
import { readSync } from 'node:fs';
import { HEADER_BYTES, MAGIC_BYTES, checksumMatches, decodeHeader, emptyHeader, recordBytes, type RecordHeader } from './record-codec.js';
import type { Segment } from './segment-files.js';

const WINDOW_BYTES = 256 * 1024;

/**
 * Called per valid record; `buf[at...]` holds it (header first) and is only valid during the call.
 * Return false to stop.
 */
export type RecordVisitor = (header: RecordHeader, position: number, buf: Buffer, at: number) => boolean;

export class SegmentReader {
  private buf = Buffer.allocUnsafe(WINDOW_BYTES);
  private segment: Segment | null = null;
  private fd = -1;
  /** The window holds file bytes [start, end). */
  private start = 0;
  private end = 0;
  private readonly header = emptyHeader();

  /** Forgets the window (a segment file was replaced). */
  invalidate(): void {
    this.segment = null;
    this.fd = -1;
    this.end = 0;
  }

  /**
   * Visits the valid records of `segment` from byte `offset` on, until the visitor returns false or the
   * segment's durable end is reached. Returns false when it stopped because the file could not be read.
   */
  forEach(segment: Segment, offset: number, visit: RecordVisitor): boolean {
    let pos = offset;
    while (pos + HEADER_BYTES <= segment.size) {
      const header = this.recordAt(segment, pos);
      if (header === undefined) return false;
      if (header === null) {
        const next = this.resync(segment, pos + 1);
        if (next < 0) return true;
        pos = next;
        continue;
      }
      if (!visit(header, pos, this.buf, pos - this.start)) return true;
      pos += recordBytes(header);
    }
    return true;
  }

  /** The valid record at pos; null when the bytes there are not one, undefined on a read error. */
  private recordAt(segment: Segment, pos: number): RecordHeader | null | undefined {
    if (!this.ensure(segment, pos, HEADER_BYTES)) return undefined;
    const header = decodeHeader(this.buf, pos - this.start, this.header);
    if (!header) return null;
    const length = recordBytes(header);
    if (pos + length > segment.size) return null;
    if (!this.ensure(segment, pos, length)) return undefined;
    return checksumMatches(this.buf, pos - this.start, header) ? header : null;
  }

  private resync(segment: Segment, from: number): number {
    let pos = from;
    while (pos + HEADER_BYTES <= segment.size) {
      if (!this.ensure(segment, pos, Math.min(WINDOW_BYTES, segment.size - pos))) return -1;
      const hit = this.buf.subarray(0, this.end - this.start).indexOf(MAGIC_BYTES, pos - this.start);
      if (hit < 0) {
        pos = this.end - 1;
        continue;
      }
      const candidate = this.start + hit;
      const header = this.recordAt(segment, candidate);
      if (header === undefined) return -1;
      if (header) return candidate;
      pos = candidate + 1;
    }
    return -1;
  }

  /** Makes file bytes [pos, pos + length) available in the window; false on a read error. */
  private ensure(segment: Segment, pos: number, length: number): boolean {
    if (segment === this.segment && segment.fd === this.fd && pos >= this.start && pos + length <= this.end) return true;
    if (this.buf.length < length) this.buf = Buffer.allocUnsafe(length);
    const want = Math.min(this.buf.length, segment.size - pos);
    let got = 0;
    try {
      while (got < want) {
        const n = readSync(segment.fd, this.buf, got, want - got, pos + got);
        if (n === 0) break;
        got += n;
      }
    } catch {
      this.invalidate();
      return false;
    }
    this.segment = segment;
    this.fd = segment.fd;
    this.start = pos;
    this.end = pos + got;
    return got >= length;
  }
}
