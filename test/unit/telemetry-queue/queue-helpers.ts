import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, memorySink } from '../../../src/lib/log.js';
import { DiskQueue, type DiskQueueOptions, type QueueRecord } from '../../../src/telemetry/queue/index.js';

export function tempDir(prefix = 'queue-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testLog(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const sink = memorySink();
  return { log: createLogger({ name: 'queue-test', level: 'debug', sink }), lines: sink.lines };
}

export function openQueue(dir: string, extra: Partial<DiskQueueOptions> = {}): Promise<DiskQueue> {
  return DiskQueue.open({ dir, log: testLog().log, fsyncIntervalMs: 2, ...extra });
}

/** Peeks everything (leaving it in flight) and returns the payloads as strings. */
export function peekAll(queue: DiskQueue): QueueRecord[] {
  const out: QueueRecord[] = [];
  for (;;) {
    const batch = queue.peek(10_000, 64 * 1024 * 1024);
    if (batch.length === 0) return out;
    out.push(...batch);
  }
}

export const text = (record: QueueRecord): string => record.payload.toString();
