import { spawn, type ChildProcess } from 'node:child_process';
import { classifyExit, type AgentExit } from './exit-codes.js';

export interface AgentLaunch {
  binary: string;
  threadInterface: string;
  infraInterface: string;
  radioUrl: string;
  restPort: number;
  env?: NodeJS.ProcessEnv;
}

export function agentArguments(launch: AgentLaunch): string[] {
  return ['-I', launch.threadInterface, '-B', launch.infraInterface, '-s', '--rest-listen-address', '127.0.0.1', '--rest-listen-port', String(launch.restPort), launch.radioUrl];
}

/** One otbr-agent process: its exit (classified) and the last lines it logged, for the fault report. */
export class AgentProcess {
  readonly exited: Promise<AgentExit>;
  readonly lastLines: string[] = [];
  private readonly child: ChildProcess;
  readonly startedAt = Date.now();

  constructor(launch: AgentLaunch, private readonly onLine: (line: string) => void = () => {}) {
    this.child = spawn(launch.binary, agentArguments(launch), { stdio: ['ignore', 'pipe', 'pipe'], env: launch.env ?? process.env });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => { this.remember(`cannot start ${launch.binary}: ${error.message}`); resolve({ code: 127, signal: null, kind: 'usage', meaning: `cannot start ${launch.binary}: ${error.message}` }); });
      this.child.on('exit', (code, signal) => resolve(classifyExit(code, signal)));
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) this.remember(line);
      });
    }
  }

  get pid(): number | undefined { return this.child.pid; }
  get running(): boolean { return this.child.exitCode === null && this.child.signalCode === null; }

  private remember(line: string): void {
    this.lastLines.push(line);
    if (this.lastLines.length > 20) this.lastLines.shift();
    this.onLine(line);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<AgentExit> {
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => { if (this.running) this.child.kill('SIGKILL'); }, graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}
