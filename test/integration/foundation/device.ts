// An offline "device" for the install-and-run test: the feed built from the current tree through the
// `make ipk` entry points, an offline root filled by the opkg stand-in, `uci` and `ubus` run through
// their stand-ins, and init scripts run through rc.common/procd.sh into the supervising procd stand-in.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runInitScript, type InitRun } from '../../stand-ins/procd/procd.js';
import type { ProcdSupervisor } from '../../stand-ins/procd/supervisor.js';
import { runUbusCli } from '../../stand-ins/ubus-cli/cli.js';
import { runUci, type UciRun } from '../../stand-ins/uci/cli.js';
import { OfflineOpkg } from '../../stand-ins/opkg/opkg.js';

export const repoRoot = join(__dirname, '../../..');
export const SERVICES = ['thread', 'halow', 'lte', 'telemetry'] as const;
export type ServiceName = (typeof SERVICES)[number];
/** What the target system already has (OpenWrt base packages our Depends name). */
const BASE_SYSTEM = ['libc', 'node', 'luci-base', 'rpcd', 'openthread-br', 'coreutils-stty'];

/** `make ipk` = `make build` (scripts/build.mjs) + scripts/make-ipk.mjs, here into `outDir`. */
export function buildFeedFromTree(outDir: string): string[] {
  const run = (script: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
    execFileSync(process.execPath, [join(repoRoot, 'scripts', script), ...args], { cwd: repoRoot, env, stdio: 'pipe', encoding: 'utf8' });
  run('build.mjs', []);
  // The published conformance TEST key: fine for a throw-away feed, and no throw-away key is written into build/.
  run('make-ipk.mjs', ['--out', outDir], { ...process.env, SMARTGRID_FEED_KEY: join(repoRoot, '../shared/conformance/usign/test-key.sec') });
  return readdirSync(outDir).filter((name) => name.endsWith('.ipk')).sort().map((name) => join(outDir, name));
}

/** An offline root with var/lock (opkg needs it) and a status file listing the base system. */
export function freshRoot(root: string): OfflineOpkg {
  mkdirSync(join(root, 'var/lock'), { recursive: true });
  mkdirSync(join(root, 'usr/lib/opkg'), { recursive: true });
  mkdirSync(join(root, 'tmp/.uci'), { recursive: true });
  writeFileSync(
    join(root, 'usr/lib/opkg/status'),
    BASE_SYSTEM.map((name) => `Package: ${name}\nVersion: 1\nStatus: install ok installed\nArchitecture: x86_64\nInstalled-Time: 1\n\n`).join(''),
  );
  return new OfflineOpkg(root);
}

/** `uci -c <root>/etc/config ...` with the device's /tmp/.uci save dir inside the root. */
export function uci(root: string, ...args: string[]): UciRun {
  const result = runUci(['-c', join(root, 'etc/config'), ...args], { defaultSaveDir: join(root, 'tmp/.uci') });
  if (result.exitCode !== 0) throw new Error(`uci ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
  return result;
}

/** `uci set` each assignment, then `uci commit smartgrid`. */
export function uciSetAndCommit(root: string, assignments: Record<string, string>): void {
  for (const [key, value] of Object.entries(assignments)) uci(root, 'set', `${key}=${value}`);
  uci(root, 'commit', 'smartgrid');
}

/**
 * `/etc/init.d/smartgrid-<svc> <action>` as installed in the root, under the rc.common/procd.sh stand-in;
 * every message it would send to procd is handled by `procd`. Throws when procd refuses one.
 */
export function initScript(procd: ProcdSupervisor, root: string, service: ServiceName, action: 'start' | 'stop' | 'reload'): InitRun {
  const run = runInitScript({
    script: join(root, 'etc/init.d', `smartgrid-${service}`),
    action,
    uciDir: join(root, 'etc/config'),
    running: procd.inspect(`smartgrid-${service}`)?.running ?? false,
  });
  if (run.status !== 0) throw new Error(`init script ${service} ${action} exited ${run.status}: ${run.stderr}`);
  for (const message of run.messages) {
    const status = procd.handle(message);
    if (status !== 0) throw new Error(`procd refused ${message.method} for ${service}: ubus status ${status}`);
  }
  return run;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `ubus -s <socket> -t <timeout> call <path> <method> [<json>]` through the ubus CLI stand-in. */
export async function ubusCall(socket: string, path: string, method: string, message?: string, timeoutS = 5): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const argv = ['-s', socket, '-t', String(timeoutS), 'call', path, method, ...(message === undefined ? [] : [message])];
  const code = await runUbusCli(argv, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; } });
  return { code, stdout, stderr };
}

/** `ubus call smartgrid.<svc> status`, parsed; undefined while it fails. */
export async function serviceStatus(socket: string, service: ServiceName): Promise<Record<string, unknown> | undefined> {
  const result = await ubusCall(socket, `smartgrid.${service}`, 'status');
  return result.code === 0 ? (JSON.parse(result.stdout) as Record<string, unknown>) : undefined;
}

/** A TCP port nothing listens on (bound, then closed): brokers "that do not exist". */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
