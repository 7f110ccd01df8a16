import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, memorySink, type Logger } from '../../../src/lib/log.js';
import type { Clock } from '../../../src/lte/clock.js';
import type { CommandResult, CommandRunner, RunOptions } from '../../../src/lte/command.js';

export const MMCLI = new URL('../../stand-ins/mmcli/mmcli.mjs', import.meta.url).pathname;

export function testLogger(): { log: Logger; lines: string[] } {
  const sink = memorySink();
  return { log: createLogger({ name: 'smartgrid-lte', level: 'debug', sink }), lines: sink.lines };
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sg-lte-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function readCalls(logFile: string): string[][] {
  try {
    return readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as string[]);
  } catch {
    return [];
  }
}

/** A clock that only moves when the test says so; timers fire in order as time passes. */
export class FakeClock implements Clock {
  private time: number;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;

  constructor(start = Date.UTC(2026, 10, 21, 8, 0, 0)) { this.time = start; }

  now(): number { return this.time; }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** Moves time forward, firing due timers and letting their promise chains settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.callback();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    this.time = end;
  }
}

/** Scripted command runner: answers by matching the command line, records every call. */
export class ScriptedRunner implements CommandRunner {
  readonly calls: string[] = [];
  constructor(private readonly answer: (line: string) => Partial<CommandResult> = () => ({})) {}

  async run(command: string, args: string[], _options?: RunOptions): Promise<CommandResult> {
    const line = [command, ...args].join(' ');
    this.calls.push(line);
    return { code: 0, stdout: '', stderr: '', timedOut: false, ...this.answer(line) };
  }
}
