// Runs the bundled smartgrid-sep2 service (shipped esbuild options) against the ubusd stand-in, a
// real mosquitto as the local broker and certificates made by openssl; plus an mTLS client.
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceBundleOptions } from '../../../tools/bundling/service-bundle.mjs';
import { freePort } from '../../helpers/mosquitto.js';
import type { Pem, Sep2Pki } from '../../helpers/sep2-pki.js';
import { startTestUbus, waitUntil, type TestUbus } from '../../helpers/ubus.js';

const besideRoot = new URL('../../../', import.meta.url).pathname;
const root = existsSync(join(besideRoot, 'src/sep2/main.ts')) ? besideRoot : process.cwd();

export type UciOptions = Record<string, string | number | boolean | string[]>;

export function uciSection(type: string, options: UciOptions): string {
  const lines = [`config ${type} '${type}'`];
  for (const [key, value] of Object.entries(options)) {
    if (Array.isArray(value)) for (const item of value) lines.push(`\tlist ${key} '${item}'`);
    else lines.push(`\toption ${key} '${typeof value === 'boolean' ? (value ? 1 : 0) : value}'`);
  }
  return `${lines.join('\n')}\n`;
}

/** A service bundle as `make build` makes it (CommonJS, renamed .cjs: the repo's package.json says module). */
export async function bundleService(name: 'sep2' | 'telemetry', outDir: string): Promise<string> {
  const outfile = join(outDir, `smartgrid-${name}.cjs`);
  await build({ ...serviceBundleOptions(), entryPoints: [join(root, `src/${name}/main.ts`)], outfile, format: 'cjs', logLevel: 'error' });
  return outfile;
}

/** SIGTERM as procd sends it, SIGKILL if the process is still there after its drain bound. */
export async function terminate(child: ChildProcess, graceMs = 6000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface RunningSep2 {
  bus: TestUbus;
  child: ChildProcess;
  dir: string;
  port: number;
  output: string[];
  status(): Promise<Record<string, unknown>>;
  /** Rewrites the section and sends SIGHUP (what procd does on a config change). */
  reconfigure(options: UciOptions): Promise<void>;
  stop(): Promise<void>;
}

export interface Sep2Start {
  pki: Sep2Pki;
  options: UciOptions;
  nodeFlags?: string[];
  bundle?: string;
  /** Wait for this state (default `running` with the listener up). */
  expectState?: string;
  /** More UCI sections in the same file (the telemetry forwarder's, for the end-to-end test). */
  otherSections?: string;
}

export async function startSep2(start: Sep2Start): Promise<RunningSep2> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-sep2-svc-'));
  mkdirSync(join(dir, 'uci'));
  const port = await freePort();
  const base: UciOptions = { listen_address: '127.0.0.1', port, cert_file: start.pki.server.cert, key_file: start.pki.server.key, ca_file: start.pki.ca, mdns: false, ntp_state_file: join(dir, 'ntp-state') };
  const writeConfig = (options: UciOptions) => writeFileSync(join(dir, 'uci', 'smartgrid'), uciSection('sep2', { ...base, ...options }) + (start.otherSections ?? ''));
  writeConfig(start.options);
  const script = start.bundle ?? await bundleService('sep2', dir);
  const bus = await startTestUbus();
  const output: string[] = [];
  const child = spawn(process.execPath, [...(start.nodeFlags ?? []), script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SMARTGRID_UBUS_SOCKET: bus.socketPath, SMARTGRID_UCI_DIR: join(dir, 'uci') },
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(...chunk.toString().trim().split('\n')));
  child.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().trim().split('\n')));
  const status = () => bus.client.call('smartgrid.sep2', 'status', {});
  const stop = async () => {
    await terminate(child);
    await bus.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const expected = start.expectState ?? 'running';
  try {
    await waitUntil(async () => {
      const current = await status().catch(() => undefined);
      return current?.state === expected && (expected !== 'running' || current.listening === true);
    }, 20_000, `smartgrid.sep2 to reach ${expected}`);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output.join('\n')}`);
  }
  const reconfigure = async (options: UciOptions) => { writeConfig(options); child.kill('SIGHUP'); };
  return { bus, child, dir, port, output, status, reconfigure, stop };
}

export interface Sep2Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  cipher: string;
  protocol: string | null;
}

/** One request over mutual TLS with the profile's suite (a fresh connection each time). */
export function sep2Request(port: number, pki: Sep2Pki, client: Pem, method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Sep2Response> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, method, path, servername: 'localhost', agent: false,
      ca: readFileSync(pki.ca), cert: readFileSync(client.cert), key: readFileSync(client.key),
      ciphers: 'ECDHE-ECDSA-AES128-CCM8', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2',
      headers: { Accept: 'application/sep+xml; level=-S1', ...(options.body ? { 'Content-Type': 'application/sep+xml' } : {}), ...options.headers },
    }, (response) => {
      const chunks: Buffer[] = [];
      const socket = response.socket as import('node:tls').TLSSocket;
      const cipher = socket.getCipher().name;
      const protocol = socket.getProtocol();
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), cipher, protocol }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
