// Builds tools/fleet into build/tools/smartgrid-fleet.cjs (one file, node 18) and runs it with the
// given arguments: `node scripts/fleet.mjs templates build/openwisp` is `make openwisp-templates`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname;
export const FLEET_CLI = join(repo, 'build', 'tools', 'smartgrid-fleet.cjs');

export async function buildFleetCli(outfile = FLEET_CLI) {
  await build({
    entryPoints: [join(repo, 'tools', 'fleet', 'cli.ts')], outfile, bundle: true, platform: 'node', target: 'node18',
    format: 'cjs', banner: { js: '#!/usr/bin/env node' }, logLevel: 'warning',
  });
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cli = await buildFleetCli();
  const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
