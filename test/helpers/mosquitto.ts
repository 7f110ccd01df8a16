import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCerts } from './certs.js';
import { requireTool } from './tools.js';

export interface MosquittoOptions {
  /** Adds a TLS listener with these certs. */
  tls?: { certs: TestCerts; requireCertificate?: boolean };
  /** Keep the plain listener when TLS is on (default true). */
  plain?: boolean;
  /** Broker persistence in the broker's temp dir (saved on stop and every `autosaveSeconds`). */
  persistence?: boolean;
  autosaveSeconds?: number;
  /** Outgoing QoS 1/2 messages in flight per client (mosquitto default 20). */
  maxInflight?: number;
  /** Extra lines appended to the generated mosquitto.conf. */
  extra?: string[];
  /** Reuse these ports (e.g. to restart a broker at the same address). */
  port?: number;
  tlsPort?: number;
}

export interface Mosquitto {
  host: string;
  /** Plain listener port (0 if none). */
  port: number;
  /** TLS listener port (0 if none). */
  tlsPort: number;
  dir: string;
  configFile: string;
  log(): string;
  /** SIGTERM and wait (persistence is saved). */
  stop(): Promise<void>;
  /** Starts again with the same config, ports and persistence file. */
  restart(): Promise<void>;
  /** stop() and remove the temp dir. */
  dispose(): Promise<void>;
  /** SIGSTOP: connections stay open, nothing is answered (no PUBACK) until resume(). */
  pause(): void;
  resume(): void;
  readonly running: boolean;
}

/** Brokers still running when the test process exits are killed with it (no orphans after a crash). */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => { for (const proc of live) proc.kill('SIGKILL'); });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, logFile: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}: ${safeRead(logFile)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mosquitto did not listen on ${port}: ${safeRead(logFile)}`);
}

function safeRead(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch { return ''; }
}

/** Starts Debian's mosquitto on random local ports with a generated config. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-mosquitto-'));
  const plain = options.plain ?? true;
  const port = plain ? options.port ?? (await freePort()) : 0;
  const tlsPort = options.tls ? options.tlsPort ?? (await freePort()) : 0;
  const logFile = join(dir, 'mosquitto.log');
  const lines = [
    'user root',
    'per_listener_settings false',
    'allow_anonymous true',
    `log_dest file ${logFile}`,
    'log_type error', 'log_type warning', 'log_type notice', 'log_type information',
    `max_inflight_messages ${options.maxInflight ?? 20}`,
    'max_queued_messages 0',
    'max_queued_bytes 0',
    `persistence ${options.persistence ? 'true' : 'false'}`,
  ];
  if (options.persistence) lines.push(`persistence_location ${dir}/`, `autosave_interval ${options.autosaveSeconds ?? 1}`);
  if (plain) lines.push(`listener ${port} 127.0.0.1`);
  if (options.tls) {
    const { certs, requireCertificate } = options.tls;
    lines.push(`listener ${tlsPort} 127.0.0.1`, `cafile ${certs.caCert}`, `certfile ${certs.serverCert}`, `keyfile ${certs.serverKey}`,
      `require_certificate ${requireCertificate ? 'true' : 'false'}`);
  }
  lines.push(...(options.extra ?? []));
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(configFile, lines.join('\n') + '\n');

  let child: ChildProcess | undefined;
  const launch = async () => {
    requireTool('mosquitto');
    const proc = spawn('mosquitto', ['-c', configFile], { stdio: 'ignore' });
    child = proc;
    track(proc);
    await waitForPort(plain ? port : tlsPort, proc, logFile);
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => { proc.kill('SIGKILL'); }, 5000).unref();
    });
  };
  await launch();
  return {
    host: '127.0.0.1', port, tlsPort, dir, configFile,
    log: () => safeRead(logFile),
    stop,
    restart: async () => { await stop(); await launch(); },
    dispose: async () => { if (child?.exitCode === null) child.kill('SIGCONT'); await stop(); rmSync(dir, { recursive: true, force: true }); },
    pause: () => { child?.kill('SIGSTOP'); },
    resume: () => { child?.kill('SIGCONT'); },
    get running() { return !!child && child.exitCode === null; },
  };
}
