import { describe, expect, it } from 'vitest';
import { openQueue, peekAll } from '../../unit/telemetry-queue/queue-helpers.js';
import { queueChildFixture, runQueueChild } from './queue-child.js';

const { bundle, queueDir } = queueChildFixture('queue-crash-', 'append-child');

interface ChildReport { appended: Set<number>; peeked: Set<number>; acked: Set<number> }

/** Runs the child for `runMs` after it is ready, then kills it with SIGKILL. */
async function runAndKill(startId: number, runMs: number): Promise<ChildReport> {
  const report: ChildReport = { appended: new Set(), peeked: new Set(), acked: new Set() };
  await runQueueChild(bundle, queueDir, startId, (line, child) => {
    if (line === 'READY') setTimeout(() => child.kill('SIGKILL'), runMs);
    const [tag, ...ids] = line.split(' ');
    const target = tag === 'A' ? report.appended : tag === 'P' ? report.peeked : tag === 'K' ? report.acked : null;
    for (const id of ids) target?.add(Number(id));
  });
  return report;
}

describe('DiskQueue under kill -9', () => {
  it('keeps every acknowledged append and every durable ack over 5 kills', async () => {
    const stillQueued = new Set<number>();
    for (let round = 0; round < 5; round++) {
      const report = await runAndKill(round * 10_000_000, 400 + round * 150);
      expect(report.appended.size).toBeGreaterThan(50);

      const queue = await openQueue(queueDir);
      const ids = peekAll(queue).map((record) => Number(record.payload.toString().slice(3)));
      await queue.close();
      const present = new Set(ids);

      expect(ids.length).toBe(present.size); // no record twice on disk
      // A peeked record whose ack became durable just before the kill is legitimately gone (delivered).
      const delivered = (id: number) => report.acked.has(id) || report.peeked.has(id);
      for (const id of report.appended) if (!delivered(id)) expect(present.has(id), `appended id ${id} lost`).toBe(true);
      for (const id of stillQueued) if (!delivered(id)) expect(present.has(id), `earlier id ${id} lost`).toBe(true);
      for (const id of report.acked) expect(present.has(id), `acked id ${id} came back`).toBe(false);
      // Redelivery is bounded by what was in flight (peeked, ack not yet durable) at the kill.
      const redelivered = [...present].filter((id) => report.peeked.has(id));
      expect(redelivered.length).toBeLessThanOrEqual(40);
      const ackedUnreported = [...report.peeked].filter((id) => !report.acked.has(id) && !present.has(id));
      expect(ackedUnreported.length).toBeLessThanOrEqual(20); // at most the one batch whose ack was in flight
      stillQueued.clear();
      for (const id of present) stillQueued.add(id);
    }
  }, 60_000);
});
