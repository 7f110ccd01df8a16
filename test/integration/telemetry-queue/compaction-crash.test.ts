import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openQueue, peekAll } from '../../unit/telemetry-queue/queue-helpers.js';
import { queueChildFixture, runQueueChild } from './queue-child.js';

const { bundle, queueDir } = queueChildFixture('queue-compact-crash-', 'compact-child');

interface ChildReport { appended: Set<number>; acked: Set<number>; stuck: Set<number>; compactionsStarted: number; compactionsDone: number; killedMidCompaction: boolean }

/** Kills the child with SIGKILL `delayMs` after the `nth` compaction started (or after `fallbackMs`). */
async function runAndKill(startId: number, nth: number, delayMs: number, fallbackMs: number): Promise<ChildReport> {
  const report: ChildReport = { appended: new Set(), acked: new Set(), stuck: new Set(), compactionsStarted: 0, compactionsDone: 0, killedMidCompaction: false };
  let killTimer: NodeJS.Timeout | null = null;
  const kill = (child: ChildProcess): void => {
    report.killedMidCompaction = report.compactionsStarted > report.compactionsDone;
    child.kill('SIGKILL');
  };
  await runQueueChild(bundle, queueDir, startId, (line, child) => {
    if (line === 'READY') killTimer = setTimeout(kill, fallbackMs, child);
    if (line === 'C' && ++report.compactionsStarted === nth) {
      if (killTimer) clearTimeout(killTimer);
      if (delayMs === 0) kill(child); else killTimer = setTimeout(kill, delayMs, child);
    }
    if (line === 'D') report.compactionsDone++;
    const [tag, ...ids] = line.split(' ');
    const target = tag === 'A' ? report.appended : tag === 'K' ? report.acked : tag === 'S' ? report.stuck : null;
    for (const id of ids) if (id !== '') target?.add(Number(id));
  });
  return report;
}

describe('DiskQueue compaction under kill -9', () => {
  it('loses no record and duplicates none when killed before, during or after compactions', async () => {
    const stillQueued = new Set<number>();
    let compactions = 0;
    let midCompactionKills = 0;
    const rounds: Array<[number, number]> = [[2, 0], [3, 1], [2, 3], [4, 0], [3, 2], [5, 8]];
    for (const [round, [nth, delayMs]] of rounds.entries()) {
      const report = await runAndKill(round * 10_000_000, nth, delayMs, 4000);
      compactions += report.compactionsStarted;
      if (report.killedMidCompaction) midCompactionKills++;

      const queue = await openQueue(queueDir);
      const ids = peekAll(queue).map((record) => Number(record.payload.toString().split(':')[1]));
      await queue.close();
      const present = new Set(ids);
      expect(ids.length, 'a record is on disk twice').toBe(present.size);
      for (const id of report.stuck) expect(present.has(id), `stuck id ${id} lost`).toBe(true);
      for (const id of report.acked) expect(present.has(id), `acked id ${id} came back`).toBe(false);
      // Appended ids the child never peeked, or peeked but whose ack was not durable, are still there.
      const inFlightAtKill = [...report.appended].filter((id) => !report.acked.has(id) && !report.stuck.has(id) && !present.has(id));
      expect(inFlightAtKill.length, 'more records gone than one ack batch').toBeLessThanOrEqual(25);
      for (const id of stillQueued) if (!report.acked.has(id)) expect(present.has(id), `earlier id ${id} lost`).toBe(true);
      stillQueued.clear();
      for (const id of present) stillQueued.add(id);
    }
    expect(compactions).toBeGreaterThan(6);
    expect(midCompactionKills).toBeGreaterThan(0);
  }, 90_000);
});
