import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueue, peekAll, tempDir } from '../../unit/telemetry-queue/queue-helpers.js';

const temp = tempDir('queue-compact-crash-');
const bundle = join(temp.dir, 'compact-child.mjs');
const queueDir = join(temp.dir, 'queue');

beforeAll(async () => {
  await build({ entryPoints: [join(__dirname, 'compact-child.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node18', logLevel: 'warning' });
});
afterAll(() => temp.remove());

interface ChildReport { appended: Set<number>; acked: Set<number>; stuck: Set<number>; compactionsStarted: number; compactionsDone: number; killedMidCompaction: boolean }

/** Kills the child with SIGKILL `delayMs` after the `nth` compaction started (or after `fallbackMs`). */
function runAndKill(startId: number, nth: number, delayMs: number, fallbackMs: number): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, queueDir, String(startId)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const report: ChildReport = { appended: new Set(), acked: new Set(), stuck: new Set(), compactionsStarted: 0, compactionsDone: 0, killedMidCompaction: false };
    let killTimer: NodeJS.Timeout | null = null;
    const kill = (): void => {
      report.killedMidCompaction = report.compactionsStarted > report.compactionsDone;
      child.kill('SIGKILL');
    };
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() as string;
      for (const line of lines) {
        if (line === 'READY') killTimer = setTimeout(kill, fallbackMs);
        if (line === 'C' && ++report.compactionsStarted === nth) {
          if (killTimer) clearTimeout(killTimer);
          if (delayMs === 0) kill(); else killTimer = setTimeout(kill, delayMs);
        }
        if (line === 'D') report.compactionsDone++;
        const [tag, ...ids] = line.split(' ');
        const target = tag === 'A' ? report.appended : tag === 'K' ? report.acked : tag === 'S' ? report.stuck : null;
        for (const id of ids) if (id !== '') target?.add(Number(id));
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(report) : reject(new Error(`child exited by itself (${signal ?? _code})`))));
  });
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
