// A simulated RCP behind a real pty: socat links two ptys, otbr-agent or our probe opens `path`,
// the simulator (main.ts, bundled) sits on the other one. `vanish()` kills socat, so `path` is gone
// and the open side gets EIO, as when a USB dongle is pulled.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CONFORMANCE_DIR } from '../../helpers/conformance.js';
import { requireTool } from '../../helpers/tools.js';
import type { RcpFault } from './faults.js';

export interface PtyRcpOptions {
  /** The host's side of the line, as a symlink (like /dev/serial/by-id/...). */
  path: string;
  fault?: RcpFault;
  baud?: number;
  hwaddr?: string;
}

export interface PtyRcp {
  path: string;
  socat: ChildProcess;
  sim: ChildProcess;
  setFault(fault: RcpFault): Promise<void>;
  /** The RCP reboots on the same port (unsolicited RESET_POWER_ON). */
  powerOn(): void;
  /** A power-on status `afterMs` after the next frame from the host, before its answer: a stale one read late. */
  powerOnAfterNextFrame(afterMs?: number): Promise<void>;
  /** SIGSTOP: the pty stays, nothing answers. */
  hang(): void;
  /** socat and the simulator die: the port disappears. */
  vanish(): Promise<void>;
  stop(): Promise<void>;
}

/** This folder, also when bundled into build/bench (no __dirname there: run from the repository root). */
const HERE = typeof __dirname === 'string' ? __dirname : join(process.cwd(), 'test/stand-ins/rcp-sim');

let bundled: Promise<string> | undefined;

/** The simulator bundled once per test process (node cannot run the .ts directly). */
export function simulatorBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'rcp-sim-')), 'rcp-sim.mjs');
    await build({ entryPoints: [join(HERE, 'main.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node18', logLevel: 'warning' });
    return outfile;
  })();
  return bundled;
}

function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) { child[stream]!.off('data', onData); resolve(match[0]); }
    };
    child[stream]!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before printing ${pattern}: ${text}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startPtyRcp(options: PtyRcpOptions): Promise<PtyRcp> {
  requireTool('socat');
  requireTool('stty');
  const simSide = `${options.path}.rcp-side`;
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${options.path}`, `pty,raw,echo=0,link=${simSide}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForLine(socat, 'stderr', /starting data transfer loop/, 'socat');
  if (!existsSync(options.path)) throw new Error(`socat did not create ${options.path}`);
  const args = [await simulatorBundle(), '--pty', simSide, '--host-link', options.path, '--fault', options.fault ?? 'none', '--baud', String(options.baud ?? 460800)];
  if (options.hwaddr) args.push('--hwaddr', options.hwaddr);
  const sim = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, SMARTGRID_CONFORMANCE_DIR: CONFORMANCE_DIR } });
  await waitForLine(sim, 'stdout', /ready\n/, 'rcp-sim');
  const stopBoth = async (): Promise<void> => {
    for (const child of [sim, socat]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all([exited(sim), exited(socat)]);
  };
  return {
    path: options.path, socat, sim,
    async setFault(fault) {
      const ack = waitForLine(sim, 'stdout', new RegExp(`fault ${fault}\\n`), 'rcp-sim');
      sim.stdin!.write(`fault ${fault}\n`);
      await ack;
    },
    powerOn() { sim.stdin!.write('power-on\n'); },
    async powerOnAfterNextFrame(afterMs = 0) {
      const ack = waitForLine(sim, 'stdout', /power-on armed\n/, 'rcp-sim');
      sim.stdin!.write(`power-on next-frame ${afterMs}\n`);
      await ack;
    },
    hang() { sim.kill('SIGSTOP'); },
    vanish: stopBoth,
    stop: stopBoth,
  };
}
