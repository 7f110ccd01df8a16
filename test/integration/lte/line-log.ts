// The lines a child process writes, each stamped with the time it arrived, and waits on them.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface LogLine { at: number; text: string }

export class LineLog {
  readonly lines: LogLine[] = [];
  private waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];

  constructor(child: ChildProcess, stream: 'stdout' | 'stderr') {
    createInterface({ input: child[stream]! }).on('line', (text) => {
      const line = { at: Date.now(), text };
      this.lines.push(line);
      this.waiters = this.waiters.filter((waiter) => (waiter.match(line) ? (waiter.resolve(line), false) : true));
    });
  }

  wait(match: (line: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine> {
    const found = this.lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      this.waiters.push({ match, resolve: (line) => { clearTimeout(timer); resolve(line); } });
    });
  }

  tail(count = 20): string {
    return this.lines.slice(-count).map((line) => line.text).join('\n');
  }
}
