// `make bench`: bundles every bench/*.bench.ts with esbuild and runs them one after another.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// The repository's build-time .mjs modules (esbuild plugins, schema compilers) find their files through
// import.meta.url, so they are imported from where they are instead of being bundled into build/bench/.
const buildTimeModulesExternal = {
  name: 'build-time-modules-external',
  setup(build) {
    build.onResolve({ filter: /\.mjs$/ }, (args) => (args.path.startsWith('.') ? { path: resolve(args.resolveDir, args.path), external: true } : undefined));
  },
};
const outDir = join(root, 'build', 'bench');
mkdirSync(outDir, { recursive: true });
const only = process.env.BENCH;
const files = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
let failures = 0;
for (const file of files) {
  const outfile = join(outDir, file.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join(root, 'bench', file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    packages: 'external',
    plugins: [buildTimeModulesExternal],
    logLevel: 'warning',
  });
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: root });
  if (run.status !== 0) failures++;
}
console.log(`\nbench: ${files.length - failures} of ${files.length} benchmarks completed`);
process.exit(failures ? 1 : 0);
