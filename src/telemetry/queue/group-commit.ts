/**
 * Collects jobs from concurrent callers and hands them to one flush (write + fsync) at a time, at
 * most one flush started per interval: every caller's promise settles with the flush that made its
 * data durable. A lone job after a quiet period is flushed at once.
 */
interface Waiting<J> {
  job: J;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<J> {
  private waiting: Waiting<J>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastFlushAt = -Infinity;
  flushes = 0;

  constructor(private readonly flush: (jobs: J[]) => Promise<void>, private readonly intervalMs: number) {}

  get queuedJobs(): number {
    return this.waiting.length;
  }

  submit(job: J): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far has been flushed (successfully or not). */
  async idle(): Promise<void> {
    while (this.running || this.waiting.length > 0) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
        this.running = this.run();
      }
      await this.running;
    }
  }

  private schedule(): void {
    if (this.timer || this.running) return;
    const delay = Math.max(0, this.lastFlushAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.run();
    }, delay);
  }

  private async run(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.lastFlushAt = Date.now();
    this.flushes++;
    try {
      await this.flush(batch.map((waiting) => waiting.job));
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.running = null;
      if (this.waiting.length > 0) this.schedule();
    }
  }
}
