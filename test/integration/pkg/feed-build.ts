// Builds the feed through the real entry points (scripts/feed-keygen.mjs, scripts/make-ipk.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from '../../../tools/feed/catalog.js';

export const repoRoot = join(__dirname, '../../..');
export const SOURCE_DATE_EPOCH = 1700000000;

/** `make build` output is needed; build it when a service bundle is missing. */
export function ensureBundles(): void {
  const missing = SERVICES.some((service) => !existsSync(join(repoRoot, 'build', 'bundles', `smartgrid-${service}.js`)));
  if (missing) execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'pipe' });
}

export function generateKey(dir: string): string {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'feed-keygen.mjs'), '--dir', dir], { cwd: repoRoot, stdio: 'pipe' });
  return join(dir, 'smartgrid-feed.sec');
}

export function makeIpk(outDir: string, env: Record<string, string>, extraArgs: string[] = []): { stdout: string; stderr: string } {
  const result = execFileSync(process.execPath, [join(repoRoot, 'scripts', 'make-ipk.mjs'), '--out', outDir, ...extraArgs], {
    cwd: repoRoot,
    env: { ...process.env, SOURCE_DATE_EPOCH: String(SOURCE_DATE_EPOCH), ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { stdout: result, stderr: '' };
}
