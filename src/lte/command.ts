import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

export interface RunOptions {
  timeoutMs?: number;
}

/** Every external program the watchdog runs goes through this, so tests can script them. */
export interface CommandRunner {
  run(command: string, args: string[], options?: RunOptions): Promise<CommandResult>;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_OUTPUT = 1 << 20;

/** Runs programs without a shell; kills the process group on timeout. */
export class ProcessRunner implements CommandRunner {
  run(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      let settled = false;
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const finish = (result: CommandResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
      }, timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => { if (stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8'); });
      child.stderr.on('data', (chunk: Buffer) => { if (stderr.length < MAX_OUTPUT) stderr += chunk.toString('utf8'); });
      child.on('error', (error) => finish({ code: null, stdout, stderr, timedOut, spawnError: error.message }));
      child.on('close', (code) => finish({ code, stdout, stderr, timedOut }));
    });
  }
}

export function describeFailure(result: CommandResult): string {
  if (result.spawnError) return result.spawnError;
  if (result.timedOut) return 'timed out';
  const text = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? '';
  return `exit ${result.code}${text ? `: ${text}` : ''}`;
}
