import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from '../../unit/telemetry-queue/queue-helpers.js';

/**
 * A temp dir for one test file: `<entry>.ts` of this folder bundled for node 18 before the tests,
 * and the queue dir the child writes; all removed afterwards.
 */
export function queueChildFixture(prefix: string, entry: string): { bundle: string; queueDir: string } {
  const temp = tempDir(prefix);
  const bundle = join(temp.dir, `${entry}.mjs`);
  beforeAll(async () => {
    await build({ entryPoints: [join(__dirname, `${entry}.ts`)], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node18', logLevel: 'warning' });
  });
  afterAll(() => temp.remove());
  return { bundle, queueDir: join(temp.dir, 'queue') };
}

/**
 * Runs the child on `queueDir` from id `startId`, hands each stdout line to `onLine`; resolves when
 * the child was killed with SIGKILL (which `onLine` arranges), rejects when it exits by itself.
 */
export function runQueueChild(bundle: string, queueDir: string, startId: number, onLine: (line: string, child: ChildProcess) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, queueDir, String(startId)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() as string;
      for (const line of lines) onLine(line, child);
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited by itself (${signal ?? _code})`))));
  });
}
