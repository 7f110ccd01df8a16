import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES } from '../tools/feed/catalog.js';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  log: string;
}

/**
 * Starts the real service bundles (build/bundles/smartgrid-<name>.js) as procd would, one node
 * process each with the catalog's node flags; stdout/stderr go to `<dir>/logs/<name>.log`. Bundles that are not built are skipped.
 */
export function startServices(options: { repo: string; dir: string; env: NodeJS.ProcessEnv; fsRoot: string }): ServiceProcess[] {
  const logs = join(options.dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const bundleDir = join(options.fsRoot, 'usr', 'lib', 'smartgrid');
  mkdirSync(bundleDir, { recursive: true });
  // Installed like the ipk does (/usr/lib/smartgrid); the marker keeps the repo's "type": "module" off these CommonJS bundles.
  writeFileSync(join(bundleDir, 'package.json'), '{"type":"commonjs"}\n');
  const started: ServiceProcess[] = [];
  for (const { name, nodeFlags } of PACKAGES.flatMap((spec) => (spec.service ? [spec.service] : []))) {
    const bundle = join(options.repo, 'build', 'bundles', `smartgrid-${name}.js`);
    if (!existsSync(bundle)) continue;
    const installed = join(bundleDir, `smartgrid-${name}.js`);
    copyFileSync(bundle, installed);
    const log = join(logs, `${name}.log`);
    // The log file itself, not a pipe through this process: a service must not depend on the demo's stdout.
    const out = openSync(log, 'a');
    // With the node flags the init script passes (procd_set_param command node <flags> <bundle>).
    const child = spawn(process.execPath, [...nodeFlags, installed], { env: options.env, stdio: ['ignore', out, out] });
    closeSync(out);
    started.push({ name, child, log });
  }
  // Never leave orphans behind, even when the demo process dies on an error.
  const killAll = () => { for (const { child } of started) if (child.exitCode === null) child.kill('SIGKILL'); };
  process.once('exit', killAll);
  for (const { child } of started) child.once('exit', () => { if (started.every((s) => s.child.exitCode !== null || s.child.signalCode !== null)) process.off('exit', killAll); });
  return started;
}

/** SIGTERM, then SIGKILL after `graceMs` (procd's term_timeout). */
export async function stopServices(services: ServiceProcess[], graceMs = 5000): Promise<void> {
  await Promise.all(services.map(({ child }) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  })));
}
