/** Segment files on disk: naming, creation and removal with the directory made durable. */
import { closeSync, fsyncSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIORITIES } from './record-codec.js';

const SEGMENT_NAME = /^seg-(\d{10})\.log$/;
const COMPACTING_SUFFIX = '.compacting';

export interface Segment {
  number: number;
  path: string;
  fd: number;
  /** Bytes of valid records; appends go here. */
  size: number;
  /** Every data record in this segment has seq >= firstSeq, and < the next segment's firstSeq. */
  firstSeq: number;
  /** Live (unacknowledged, not dropped) records per priority code. */
  live: number[];
  /** Stored bytes of the live records. */
  liveBytes: number;
  /** A compaction of this segment is queued or running. */
  compacting: boolean;
}

export function segmentPath(dir: string, number: number): string {
  return join(dir, `seg-${String(number).padStart(10, '0')}.log`);
}

export function listSegmentNumbers(dir: string): number[] {
  return readdirSync(dir)
    .map((name) => SEGMENT_NAME.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
}

export function newSegment(dir: string, number: number, fd: number, size: number, firstSeq: number): Segment {
  return { number, path: segmentPath(dir, number), fd, size, firstSeq, live: PRIORITIES.map(() => 0), liveBytes: 0, compacting: false };
}

/** The temporary file a compaction of segment `number` writes before it replaces the segment. */
export function compactionPath(dir: string, number: number): string {
  return `${segmentPath(dir, number)}${COMPACTING_SUFFIX}`;
}

/** Deletes temporary files of compactions a crash interrupted; returns how many. */
export function removeLeftoverCompactions(dir: string): number {
  const leftovers = readdirSync(dir).filter((name) => name.startsWith('seg-') && name.endsWith(COMPACTING_SUFFIX));
  for (const name of leftovers) unlinkSync(join(dir, name));
  if (leftovers.length) fsyncDirSync(dir);
  return leftovers.length;
}

export function liveRecords(segment: Segment): number {
  return segment.live[0] + segment.live[1] + segment.live[2];
}

export function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function removeSegmentFile(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
