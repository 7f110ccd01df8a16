// The shipped service bundles (build/bundles) started as procd would, each with its init script's node
// flags, against a ubusd stand-in and a default /etc/config/smartgrid with test paths.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES } from '../../tools/feed/catalog.js';
import { SECTION_SCHEMAS } from '../../src/lib/config/schemas/index.js';
import { defaultSections, renderUciCommit } from '../../tools/feed/uci-render.js';

const REPO = new URL('../../', import.meta.url).pathname;
export const SHIPPED_SERVICES = PACKAGES.flatMap((spec) => (spec.service ? [spec.service] : []));

export interface ShippedServices {
  children: Map<string, ChildProcess>;
  stderr: Map<string, string>;
  stop(): Promise<void>;
}

/** `/etc/config/smartgrid` with the package defaults, data paths under `work` and the given overrides. */
export function writeTestConfig(work: string, overrides: Record<string, [string, string][]> = {}, uciDir = join(work, 'uci')): string {
  mkdirSync(uciDir, { recursive: true });
  const paths: Record<string, [string, string][]> = { telemetry: [['queue_dir', join(work, 'queue')]], lte: [['state_dir', join(work, 'lte-state')]] };
  const sections = defaultSections(SHIPPED_SERVICES.map((s) => s.name), new Map(Object.entries(SECTION_SCHEMAS))).map((section) => ({
    ...section, options: [...section.options, ...(paths[section.name] ?? []), ...(overrides[section.name] ?? [])],
  }));
  writeFileSync(join(uciDir, 'smartgrid'), renderUciCommit(sections));
  return uciDir;
}

export function startShippedServices(options: { node?: string; uciDir: string; socket: string; env?: NodeJS.ProcessEnv; only?: readonly string[] }): ShippedServices {
  const children = new Map<string, ChildProcess>();
  const stderr = new Map<string, string>();
  for (const { name, nodeFlags } of SHIPPED_SERVICES.filter((s) => !options.only || options.only.includes(s.name))) {
    const bundle = join(REPO, 'build/bundles', `smartgrid-${name}.js`);
    const child = spawn(options.node ?? process.execPath, [...nodeFlags, bundle], {
      env: { PATH: process.env.PATH, SMARTGRID_UCI_DIR: options.uciDir, SMARTGRID_UBUS_SOCKET: options.socket, ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    stderr.set(name, '');
    child.stderr!.on('data', (chunk: Buffer) => stderr.set(name, stderr.get(name) + chunk.toString()));
    children.set(name, child);
  }
  const stop = async () => {
    await Promise.all([...children.values()].map((child) => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
      child.once('exit', resolve);
      child.kill('SIGTERM');
    })));
  };
  return { children, stderr, stop };
}
