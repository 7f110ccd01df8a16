import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { TelemetryConfig } from '../../../src/telemetry/config.js';
import { serviceBundleOptions } from '../../../tools/bundling/service-bundle.mjs';

const ENTRY = 'test/integration/telemetry/forwarder-entry.ts';

/** The repository root, also when this file is bundled elsewhere (the bench). */
function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== '/'; dir = dirname(dir)) if (existsSync(join(dir, ENTRY))) return dir;
  return process.cwd();
}
const root = findRoot();

/** Bundles forwarder-entry.ts with the shipped services' esbuild options (tools/bundling/service-bundle.mjs). */
export async function bundleForwarder(outDir = mkdtempSync(join(tmpdir(), 'sg-fw-bundle-'))): Promise<string> {
  const outfile = join(outDir, 'forwarder.mjs');
  await build({
    entryPoints: [join(root, ENTRY)],
    ...serviceBundleOptions(),
    outfile, format: 'esm',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

export interface ForwarderProcess {
  child: ChildProcess;
  ready: Promise<void>;
  stderr: string[];
  kill9(): Promise<void>;
  terminate(): Promise<void>;
}

export function spawnForwarder(bundle: string, config: TelemetryConfig, configDir: string, nodeFlags: string[] = []): ForwarderProcess {
  const configFile = join(configDir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, [...nodeFlags, bundle, configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => { stderr.push(chunk.toString()); if (stderr.length > 200) stderr.shift(); });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('READY')) resolve(); });
    child.once('exit', (code, signal) => reject(new Error(`forwarder exited (${code ?? signal}) before READY: ${stderr.join('').slice(-2000)}`)));
  });
  ready.catch(() => undefined);
  const waitExit = () => new Promise<void>((resolve) => { if (child.exitCode !== null || child.signalCode !== null) resolve(); else child.once('exit', () => resolve()); });
  return {
    child, ready, stderr,
    kill9: async () => { child.kill('SIGKILL'); await waitExit(); },
    terminate: async () => { child.kill('SIGTERM'); const t = setTimeout(() => child.kill('SIGKILL'), 5000); await waitExit(); clearTimeout(t); },
  };
}
