import { describe, expect, it } from 'vitest';
import { BatchEncoder, buildBatches } from '../../../src/telemetry/upstream/batch.js';
import { PayloadPool } from '../../../src/telemetry/upstream/payload-pool.js';

const entry = (ts: number, extra = '') => Buffer.from(JSON.stringify({ ts, values: { e: ts / 10, note: extra } }));

describe('BatchEncoder', () => {
  it('copies transient payload views: the batch stays valid after the source bytes are overwritten', () => {
    const encoder = new BatchEncoder({ maxBytes: 10_000, maxReadings: 100 });
    const window = Buffer.alloc(200);
    for (let i = 0; i < 5; i++) {
      const bytes = entry(i);
      bytes.copy(window);
      expect(encoder.offer(i + 1, `m"${i % 2}ü`, window.subarray(0, bytes.length), i === 3)).toBe(true);
      window.fill(0x41);
    }
    const batch = encoder.finish()!;
    expect(JSON.parse(batch.payload.toString())).toEqual({ 'm"0ü': [0, 2, 4].map((ts) => JSON.parse(entry(ts).toString())), 'm"1ü': [1, 3].map((ts) => JSON.parse(entry(ts).toString())) });
    expect(batch).toMatchObject({ seqs: [1, 2, 3, 4, 5], readings: 5, critical: 1, meters: ['m"0ü', 'm"1ü'] });
    expect(encoder.empty).toBe(true);
  });

  it('refuses a record that would overflow, and the same split as buildBatches never exceeds the byte limit', () => {
    const records = Array.from({ length: 400 }, (_, i) => ({ seq: i + 1, priority: 'telemetry' as const, key: `méter-${i % 9}`, payload: entry(i, 'y'.repeat(i % 60)), enqueuedAt: 0 }));
    const batches = buildBatches(records, { maxBytes: 1500, maxReadings: 25 });
    expect(batches.flatMap((b) => b.seqs)).toEqual(records.map((r) => r.seq));
    for (const batch of batches) {
      expect(batch.payload.length).toBeLessThanOrEqual(1500);
      expect(Object.values(JSON.parse(batch.payload.toString()) as Record<string, unknown[]>).flat()).toHaveLength(batch.readings);
    }
  });

  it('writes payloads into pooled buffers that are reused once given back', () => {
    const pool = new PayloadPool();
    pool.capacity = 4096;
    pool.keep = 2;
    const encoder = new BatchEncoder({ maxBytes: 4096, maxReadings: 10 }, (bytes) => pool.take(bytes));
    encoder.offer(1, 'a', entry(1));
    const first = encoder.finish()!;
    pool.give(first.payload);
    expect(pool.size).toBe(1);
    encoder.offer(2, 'b', entry(2));
    const second = encoder.finish()!;
    expect(second.payload.buffer).toBe(first.payload.buffer);
    expect(JSON.parse(second.payload.toString())).toEqual({ b: [JSON.parse(entry(2).toString())] });
    pool.give(Buffer.from('not pooled'));
    expect(pool.size).toBe(0);
  });
});
