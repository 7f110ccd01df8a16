/** How much disk the queue may use: the configured budget, clamped to free space minus a floor. */
import { fileSystemInfo, type FileSystemInfo } from './file-system.js';

export interface CapacityOptions {
  dir: string;
  maxBytes: number;
  /** Free space always left on the file system: the smaller of this and 5 % of its size. */
  minFreeBytes: number;
  /** Part of the limit only alarms and events may use; default 5 % of the limit. */
  reserveBytes?: number;
  probe?: (dir: string) => FileSystemInfo;
}

export interface CapacityReport {
  /** What the queue may use now (segment files, as `du` counts them). */
  limitBytes: number;
  /** The configured budget; larger than `limitBytes` when the disk is the limit. */
  maxBytes: number;
  limitedByDisk: boolean;
  freeBytes: number;
  /** Free space kept for everything else on the file system. */
  floorBytes: number;
  durable: boolean;
  fileSystem: string;
}

export class QueueCapacity {
  limitBytes = 0;
  reserveBytes = 0;
  private info: FileSystemInfo;
  private readonly probe: (dir: string) => FileSystemInfo;

  constructor(private readonly options: CapacityOptions, usedBytes: number) {
    this.probe = options.probe ?? fileSystemInfo;
    this.info = this.probe(options.dir);
    this.apply(usedBytes);
  }

  get durable(): boolean { return this.info.durable; }
  get fileSystem(): string { return this.info.type; }

  /** Re-reads the free space (other writers, or space the queue itself freed). */
  refresh(usedBytes: number): void {
    try {
      this.info = this.probe(this.options.dir);
    } catch {
      return; // keep the last figures: statfs failing means the disk is gone, writes will say so
    }
    this.apply(usedBytes);
  }

  report(): CapacityReport {
    return {
      limitBytes: this.limitBytes, maxBytes: this.options.maxBytes, limitedByDisk: this.limitBytes < this.options.maxBytes,
      freeBytes: this.info.freeBytes, floorBytes: this.floorBytes, durable: this.info.durable, fileSystem: this.info.type,
    };
  }

  private get floorBytes(): number {
    return Math.min(this.options.minFreeBytes, Math.floor(this.info.totalBytes * 0.05));
  }

  private apply(usedBytes: number): void {
    const room = usedBytes + this.info.freeBytes - this.floorBytes;
    this.limitBytes = Math.max(0, Math.min(this.options.maxBytes, room));
    const reserve = this.options.reserveBytes ?? Math.floor(this.limitBytes * 0.05);
    this.reserveBytes = Math.min(reserve, Math.floor(this.limitBytes / 2));
  }
}
