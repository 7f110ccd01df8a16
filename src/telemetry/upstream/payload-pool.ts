/**
 * Reused payload buffers for batches in flight: a batch's buffer comes back once its PUBACK arrived,
 * so a backlog drain cycles through at most `keep` buffers of `capacity` bytes instead of allocating
 * (and leaving to the garbage collector and malloc) one per batch.
 */
export class PayloadPool {
  capacity = 64 * 1024;
  /** Free buffers kept at most (the forwarder sets max_inflight + 1). */
  keep = 9;
  private readonly free: ArrayBuffer[] = [];
  private readonly owned = new WeakSet<ArrayBuffer>();

  /** A buffer of at least `bytes` bytes; pooled when it fits `capacity`. */
  take(bytes: number): Buffer {
    if (bytes > this.capacity) return Buffer.allocUnsafeSlow(bytes);
    let memory = this.free.pop();
    while (memory && memory.byteLength !== this.capacity) memory = this.free.pop();
    if (!memory) {
      memory = new ArrayBuffer(this.capacity);
      this.owned.add(memory);
    }
    return Buffer.from(memory);
  }

  /** Hands a buffer from `take` (or a view of it) back; the caller must not use it afterwards. */
  give(buffer: Buffer): void {
    const memory = buffer.buffer;
    if (memory instanceof ArrayBuffer && this.owned.has(memory) && memory.byteLength === this.capacity && this.free.length < this.keep) this.free.push(memory);
  }

  get size(): number { return this.free.length; }
}
