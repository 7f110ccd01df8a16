import type { Priority, QueueRecord, QueueStats, TelemetryQueue } from '../../../src/telemetry/queue-port.js';

/** Same contract as DiskQueue, in memory, for unit tests only: alarms first, then seq order. */
export class MemoryQueue implements TelemetryQueue {
  private readonly records: Array<QueueRecord & { inFlight: boolean }> = [];
  private nextSeq = 1;
  failWith: Error | undefined;

  async append(records: Array<{ priority: Priority; key: string; payload: Buffer }>): Promise<void> {
    if (this.failWith) throw this.failWith;
    for (const r of records) this.records.push({ ...r, seq: this.nextSeq++, enqueuedAt: Date.now(), inFlight: false });
  }

  peek(maxRecords: number, maxBytes: number): QueueRecord[] {
    const order: Priority[] = ['alarm', 'event', 'telemetry'];
    const out: QueueRecord[] = [];
    let bytes = 0;
    for (const priority of order) {
      for (const r of this.records) {
        if (r.priority !== priority || r.inFlight) continue;
        if (out.length >= maxRecords || (out.length && bytes + r.payload.length > maxBytes)) return out;
        r.inFlight = true;
        bytes += r.payload.length;
        out.push(r);
      }
    }
    return out;
  }

  async ack(seqs: QueueRecord['seq'][]): Promise<void> {
    const done = new Set(seqs);
    for (let i = this.records.length - 1; i >= 0; i--) if (done.has(this.records[i].seq)) this.records.splice(i, 1);
  }

  release(seqs: QueueRecord['seq'][]): void {
    const back = new Set(seqs);
    for (const r of this.records) if (back.has(r.seq)) r.inFlight = false;
  }

  stats(): QueueStats {
    const depth = { alarm: 0, event: 0, telemetry: 0 };
    for (const r of this.records) depth[r.priority]++;
    return { depth, inFlight: this.records.filter((r) => r.inFlight).length, bytes: 0, oldestAgeMs: null, segments: 0, state: 'ok', diskBytes: 0 };
  }

  all(): QueueRecord[] { return [...this.records]; }

  async close(): Promise<void> {}
}
