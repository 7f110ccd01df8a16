/** Reads selected data records back from their segments, coalescing neighbours into one read. */
import { readSync } from 'node:fs';
import { HEADER_BYTES, RecordKind, checksumMatches, decodeHeader } from './record-codec.js';
import type { Segment } from './segment-files.js';

export interface Located {
  priority: number;
  seq: number;
  segment: Segment;
  offset: number;
  length: number;
}

export interface ReadBack {
  key: string;
  payload: Buffer;
  enqueuedAt: number;
}

/** Calls back once per located record with its content, or with the reason it could not be used. */
export function readRecords(located: Located[], onRecord: (at: Located, record: ReadBack) => void, onBad: (at: Located, reason: string) => void): void {
  let runStart = 0;
  while (runStart < located.length) {
    let runEnd = runStart + 1;
    while (
      runEnd < located.length &&
      located[runEnd].segment === located[runStart].segment &&
      located[runEnd].offset === located[runEnd - 1].offset + located[runEnd - 1].length
    ) runEnd++;
    const first = located[runStart];
    const last = located[runEnd - 1];
    const bytes = last.offset + last.length - first.offset;
    const buf = Buffer.allocUnsafe(bytes);
    let got = 0;
    let readError: string | null = null;
    try {
      while (got < bytes) {
        const n = readSync(first.segment.fd, buf, got, bytes - got, first.offset + got);
        if (n === 0) break;
        got += n;
      }
    } catch (error) {
      readError = `read failed: ${(error as Error).message}`;
    }
    for (let i = runStart; i < runEnd; i++) {
      const at = located[i];
      const rel = at.offset - first.offset;
      if (readError || rel + at.length > got) {
        onBad(at, readError ?? 'record lies beyond the end of its segment');
        continue;
      }
      const header = decodeHeader(buf, rel);
      if (!header || header.kind !== RecordKind.Data || header.seq !== at.seq || !checksumMatches(buf, rel, header)) {
        onBad(at, 'checksum or header mismatch on read-back');
        continue;
      }
      const keyStart = rel + HEADER_BYTES;
      const payloadStart = keyStart + header.keyLength;
      onRecord(at, {
        key: buf.toString('utf8', keyStart, payloadStart),
        payload: buf.subarray(payloadStart, payloadStart + header.bodyLength),
        enqueuedAt: header.time,
      });
    }
    runStart = runEnd;
  }
}

/** The enqueue time stored in a data record's header, or null when it cannot be read. */
export function readEnqueuedAt(segment: Segment, offset: number): number | null {
  const buf = Buffer.allocUnsafe(HEADER_BYTES);
  try {
    if (readSync(segment.fd, buf, 0, HEADER_BYTES, offset) < HEADER_BYTES) return null;
  } catch {
    return null;
  }
  const header = decodeHeader(buf, 0);
  return header ? header.time : null;
}
