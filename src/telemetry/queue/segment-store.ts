/**
 * The ordered list of segment files: appends go to the last (active) one, which rolls over at
 * `segmentBytes`; fully finished segments are removed from the front only, so an ack record is
 * never lost while a record it covers still exists on disk.
 */
import { close, fdatasync, ftruncate, open, write } from 'node:fs';
import { promisify } from 'node:util';
import type { Logger } from '../../lib/log.js';
import { DiskFullError, toQueueError } from './errors.js';
import { HEADER_BYTES, encodeSegmentStart } from './record-codec.js';
import { fsyncDir, liveRecords, newSegment, removeSegmentFile, segmentPath, type Segment } from './segment-files.js';

const openAsync = promisify(open);
const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
const ftruncateAsync = promisify(ftruncate);
const closeAsync = promisify(close);

const SEGMENT_START_BYTES = encodeSegmentStart(0, 0).length;

export interface Placement {
  segment: Segment;
  offset: number;
}

export class SegmentStore {
  diskBytes: number;
  /** Removal and compaction of segment files run one after another on this chain. */
  private maintenance: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string, private readonly segmentBytes: number, private readonly log: Logger, readonly segments: Segment[]) {
    this.diskBytes = segments.reduce((sum, segment) => sum + segment.size, 0);
  }

  get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  /** Runs `task` after every removal or compaction queued before it (errors are the task's own). */
  exclusive(task: () => Promise<void>): Promise<void> {
    const run = this.maintenance.then(task);
    this.maintenance = run.catch(() => undefined);
    return run;
  }

  /** Creates the next segment file, starts it with a segment-start record and makes both durable. */
  async addSegment(nextSeq: number, now: number): Promise<Segment> {
    const number = this.segments.length ? this.active.number + 1 : 1;
    const path = segmentPath(this.dir, number);
    let fd = -1;
    try {
      fd = await openAsync(path, 'wx+');
      const start = encodeSegmentStart(nextSeq, now);
      await writeFully(fd, start, 0);
      await fdatasyncAsync(fd);
      await fsyncDir(this.dir);
      const segment = newSegment(this.dir, number, fd, start.length, nextSeq);
      this.segments.push(segment);
      this.diskBytes += start.length;
      this.log.debug('segment created', { segment: path, first_seq: nextSeq });
      return segment;
    } catch (error) {
      if (fd >= 0) await closeAsync(fd).catch(() => undefined);
      await removeSegmentFile(path).catch(() => undefined);
      throw toQueueError(error, `creating segment ${path}`);
    }
  }

  /**
   * Writes one batch to the active segment (rolling first if it would overflow) and fdatasyncs it. When
   * the active segment is the only one and holds nothing live, it is restarted in place instead of rolled
   * over (and also when the queue is over its limit, `restartIfIdle`, or a write to it finds the disk
   * full): a delivered segment can always be reclaimed, even on a disk with no room for a new file.
   * `restarted` says that cached reads of it are stale.
   */
  async write(batch: Buffer, nextSeq: number, now: number, restartIfIdle = false): Promise<Placement & { restarted: boolean }> {
    let segment = this.active;
    let restarted = false;
    if (restartIfIdle && this.reclaimableBytes > 0) {
      await this.restartActive(nextSeq, now);
      restarted = true;
    } else if (segment.size + batch.length > this.segmentBytes && segment.size > HEADER_BYTES) {
      if (this.activeIsIdle()) { await this.restartActive(nextSeq, now); restarted = true; } else segment = await this.addSegment(nextSeq, now);
    }
    try {
      return { ...(await this.writeAt(segment, batch)), restarted };
    } catch (error) {
      if (!(error instanceof DiskFullError) || restarted || !this.activeIsIdle() || segment.size <= SEGMENT_START_BYTES) throw error;
      await this.restartActive(nextSeq, now);
      return { ...(await this.writeAt(segment, batch)), restarted: true };
    }
  }

  /** Bytes a restart of the idle only segment would free. */
  get reclaimableBytes(): number {
    return this.activeIsIdle() ? this.active.size - SEGMENT_START_BYTES : 0;
  }

  private activeIsIdle(): boolean {
    return this.segments.length === 1 && liveRecords(this.active) === 0;
  }

  /** Cuts the (only, fully finished) active segment back to a fresh segment-start record. */
  private async restartActive(nextSeq: number, now: number): Promise<void> {
    const segment = this.active;
    const start = encodeSegmentStart(nextSeq, now);
    try {
      await ftruncateAsync(segment.fd, 0);
      await writeFully(segment.fd, start, 0);
      await fdatasyncAsync(segment.fd);
    } catch (error) {
      throw toQueueError(error, `restarting segment ${segment.path}`);
    }
    this.diskBytes += start.length - segment.size;
    this.log.info('finished segment restarted in place', { segment: segment.path, freed_bytes: segment.size - start.length });
    segment.size = start.length;
    segment.firstSeq = nextSeq;
    segment.liveBytes = 0;
  }

  private async writeAt(segment: Segment, batch: Buffer): Promise<Placement> {
    const offset = segment.size;
    try {
      await writeFully(segment.fd, batch, offset);
      await fdatasyncAsync(segment.fd);
    } catch (error) {
      // A torn batch must not stay in front of later appends: cut the file back to its last good end.
      await ftruncateAsync(segment.fd, offset).catch((cutError: unknown) => {
        this.log.error('could not cut a failed write back', { segment: segment.path, error: String(cutError) });
      });
      throw toQueueError(error, `writing to ${segment.path}`);
    }
    segment.size += batch.length;
    this.diskBytes += batch.length;
    return { segment, offset };
  }

  /** Removes finished segments from the front (never the active one). */
  removeFinishedFront(): Promise<void> {
    return this.exclusive(async () => {
      const removed: Segment[] = [];
      while (this.segments.length > 1 && liveRecords(this.segments[0]) === 0) {
        const segment = this.segments.shift() as Segment;
        removed.push(segment);
        await closeAsync(segment.fd).catch(() => undefined);
        await removeSegmentFile(segment.path);
        this.diskBytes -= segment.size;
      }
      if (removed.length) {
        await fsyncDir(this.dir);
        this.log.debug('segments removed', { count: removed.length, first: removed[0].path });
      }
    }).catch((error: unknown) => {
      this.log.error('removing finished segments failed', { error: String(error) });
    });
  }

  async closeAll(): Promise<void> {
    await this.maintenance;
    for (const segment of this.segments) await closeAsync(segment.fd).catch(() => undefined);
  }
}

async function writeFully(fd: number, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await writeAsync(fd, data, done, data.length - done, position + done);
    if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += bytesWritten;
  }
}
