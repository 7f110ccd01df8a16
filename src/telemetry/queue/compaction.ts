/**
 * Rewrites a sparse, no longer active segment with only what must survive: its segment-start record,
 * its live data records (same bytes, same seqs) and the ack records that may still cover records of
 * surviving segments. The copy is written to `seg-N.log.compacting`, fdatasync'd, then renamed over
 * `seg-N.log` and the directory fsync'd: a crash leaves either the old or the new file, never both
 * (recovery deletes a leftover `.compacting` file), so nothing is lost or duplicated and seqs of
 * records in flight do not change.
 */
import { closeSync, fdatasync, openSync, rename, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { HEADER_BYTES, RecordKind, decodeAckRanges, recordBytes } from './record-codec.js';
import { compactionPath, fsyncDir, removeSegmentFile, type Segment } from './segment-files.js';
import { scanSegment } from './segment-scan.js';
import type { SeqRange } from './queue-index.js';

const fdatasyncAsync = promisify(fdatasync);
const renameAsync = promisify(rename);

const OUT_BYTES = 256 * 1024;
const CHECKPOINT_EVERY = 256;

export interface CompactedFile {
  /** Open descriptor of the new segment file (now at the segment's path). */
  fd: number;
  size: number;
  dataRecords: number;
  /** A file offset at or before data record `seq` in the new file. */
  offsetOf: (seq: number) => number;
}

/**
 * `live`: sorted seq ranges of the segment's live records; ack records whose ranges all end before
 * `keepAcksFrom` (the first seq still on disk) are dropped.
 */
export async function compactSegment(dir: string, segment: Segment, live: ReadonlyArray<SeqRange>, keepAcksFrom: number): Promise<CompactedFile> {
  const path = compactionPath(dir, segment.number);
  const fd = openSync(path, 'w+');
  const out = Buffer.allocUnsafe(OUT_BYTES);
  let outUsed = 0;
  let written = 0;
  let dataRecords = 0;
  let rangeAt = 0;
  const checkpointSeqs: number[] = [];
  const checkpointOffsets: number[] = [];

  const emit = (bytes: Buffer, start: number, length: number): void => {
    if (outUsed + length > out.length) {
      writeAll(fd, out, outUsed, written - outUsed);
      outUsed = 0;
    }
    if (length > out.length) {
      writeAll(fd, bytes.subarray(start, start + length), length, written);
    } else {
      bytes.copy(out, outUsed, start, start + length);
      outUsed += length;
    }
    written += length;
  };

  try {
    scanSegment(segment.fd, segment.size, 0, (header, _offset, bytes, bodyStart) => {
      const start = bodyStart - HEADER_BYTES;
      const length = recordBytes(header);
      if (header.kind === RecordKind.Ack) {
        const ranges = decodeAckRanges(bytes.subarray(bodyStart, bodyStart + header.bodyLength));
        if (ranges.some(([, last]) => last >= keepAcksFrom)) emit(bytes, start, length);
        return;
      }
      if (header.kind === RecordKind.Data) {
        while (rangeAt < live.length && live[rangeAt][1] < header.seq) rangeAt++;
        const range = live[rangeAt];
        if (!range || range[0] > header.seq) return;
        if (header.seq === range[0] || dataRecords % CHECKPOINT_EVERY === 0) {
          checkpointSeqs.push(header.seq);
          checkpointOffsets.push(written);
        }
        dataRecords++;
      }
      emit(bytes, start, length);
    });
    if (outUsed > 0) writeAll(fd, out, outUsed, written - outUsed);
    await fdatasyncAsync(fd);
    await renameAsync(path, segment.path);
    await fsyncDir(dir);
  } catch (error) {
    closeSync(fd);
    await removeSegmentFile(path).catch(() => undefined);
    throw error;
  }
  return { fd, size: written, dataRecords, offsetOf: (seq) => floorLookup(checkpointSeqs, checkpointOffsets, seq) };
}

function writeAll(fd: number, data: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = writeSync(fd, data, done, length - done, position + done);
    if (n === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += n;
  }
}

/** offsets[i] for the greatest seqs[i] <= seq (seqs ascending); 0 (the file start) when none. */
function floorLookup(seqs: number[], offsets: number[], seq: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs[mid] <= seq) lo = mid + 1; else hi = mid;
  }
  return lo === 0 ? 0 : offsets[lo - 1];
}
