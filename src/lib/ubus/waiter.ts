/** Matches replies to requests by key, with a timeout that rejects with a readable error. */

interface Pending<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
  onSettle?: () => void;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Builds the error used when the timeout fires. */
  timeoutError: () => Error;
  /** Runs once when the wait ends, whichever way. */
  onSettle?: () => void;
}

export class Waiter<T> {
  private readonly pending = new Map<string, Pending<T>>();

  get size(): number {
    return this.pending.size;
  }

  has(key: string): boolean {
    return this.pending.has(key);
  }

  /** Registers a wait; registering a key that is already waited for is a programming error. */
  wait(key: string, options: WaitOptions): Promise<T> {
    if (this.pending.has(key)) throw new Error(`already waiting for ${key}`);
    return new Promise<T>((resolve, reject) => {
      const entry: Pending<T> = { resolve, reject, timer: undefined, onSettle: options.onSettle };
      if (options.timeoutMs > 0 && Number.isFinite(options.timeoutMs)) {
        entry.timer = setTimeout(() => this.settle(key, (item) => item.reject(options.timeoutError())), options.timeoutMs);
      }
      this.pending.set(key, entry);
    });
  }

  resolve(key: string, value: T): boolean {
    return this.settle(key, (item) => item.resolve(value));
  }

  reject(key: string, error: Error): boolean {
    return this.settle(key, (item) => item.reject(error));
  }

  rejectAll(error: Error): void {
    for (const key of [...this.pending.keys()]) this.reject(key, error);
  }

  private settle(key: string, action: (item: Pending<T>) => void): boolean {
    const item = this.pending.get(key);
    if (!item) return false;
    this.pending.delete(key);
    if (item.timer) clearTimeout(item.timer);
    item.onSettle?.();
    action(item);
    return true;
  }
}
