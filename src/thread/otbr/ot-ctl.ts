// `ot-ctl -I <if> <command>`: otbr-agent's CLI over its daemon socket. It exits 0 even when the
// command failed (the last line is then `Error N: Name` instead of `Done`), and 1 with
// `connect session failed: ...` on stderr when otbr-agent is not running (ot-ctl.json).
import type { CommandResult, CommandRunner } from '../../lte/command.js';

export type OtCtlFailure = 'agent-down' | 'timeout' | 'error';

export class OtCtlError extends Error {
  constructor(message: string, readonly failure: OtCtlFailure, readonly otError?: { code: number; name: string }) {
    super(message);
    this.name = 'OtCtlError';
  }
}

export interface OtCtlOptions {
  runner: CommandRunner;
  /** `/usr/sbin/ot-ctl`. */
  binary: string;
  threadInterface: string;
  timeoutMs?: number;
}

const ERROR_LINE = /^Error (\d+): (\S+)/;

/** The output lines of one command, without the final `Done`; throws OtCtlError for `Error N: Name`. */
export function cliLines(command: string, stdout: string): string[] {
  const lines = stdout.split(/\r?\n/);
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  const last = lines.at(-1) ?? '';
  const error = ERROR_LINE.exec(last);
  if (error) throw new OtCtlError(`ot-ctl ${command}: Error ${error[1]}: ${error[2]}`, 'error', { code: Number(error[1]), name: error[2]! });
  if (last !== 'Done') throw new OtCtlError(`ot-ctl ${command}: the output does not end in Done (${JSON.stringify(last.slice(0, 80))})`, 'error');
  return lines.slice(0, -1);
}

function failureOf(command: string, result: CommandResult, timeoutMs: number): OtCtlError | undefined {
  if (result.spawnError) return new OtCtlError(`cannot run ot-ctl: ${result.spawnError}`, 'error');
  if (result.timedOut) return new OtCtlError(`ot-ctl ${command}: no answer within ${timeoutMs} ms`, 'timeout');
  if (result.code === 0) return undefined;
  const reason = result.stderr.trim() || `exit ${result.code}`;
  const down = /connect session failed/.test(result.stderr);
  return new OtCtlError(down ? `ot-ctl cannot reach otbr-agent (${reason})` : `ot-ctl ${command}: ${reason}`, down ? 'agent-down' : 'error');
}

export class OtCtl {
  private readonly timeoutMs: number;

  constructor(private readonly options: OtCtlOptions) {
    this.timeoutMs = options.timeoutMs ?? 3000;
  }

  async command(...words: string[]): Promise<string[]> {
    const command = words.join(' ');
    const result = await this.options.runner.run(this.options.binary, ['-I', this.options.threadInterface, ...words], { timeoutMs: this.timeoutMs });
    const failure = failureOf(command, result, this.timeoutMs);
    if (failure) throw failure;
    return cliLines(command, result.stdout);
  }
}
