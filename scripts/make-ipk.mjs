// `make ipk` / `make apk` / `make feed`: builds the packages and the signed feeds without an OpenWrt SDK.
// The tooling is TypeScript (tools/feed/); node cannot run .ts, so esbuild bundles it first.
//   node scripts/make-ipk.mjs [--version V] [--release N] [--out build/feed/ipk] [--only pkg,pkg]
//   node scripts/make-ipk.mjs make-apk [--version V] [--release N] [--out build/feed/apk] [--only pkg,pkg]
//   node scripts/make-ipk.mjs feed [--version V] [--release N] [--out build/feed]
//   node scripts/make-ipk.mjs dist [--version V] [--out build/dist]   (source tarball of package/*/Makefile)
//   node scripts/make-ipk.mjs stage --package NAME --dest DIR   (used by package/*/Makefile)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundles tools/feed/main.ts and runs it with `args`; returns the exit code. */
export async function runPkgTool(args) {
  const outfile = join(root, 'build', 'tools', 'smartgrid-pkg.cjs');
  await build({
    entryPoints: [join(root, 'tools', 'feed', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    logLevel: 'warning',
  });
  const run = spawnSync(process.execPath, [outfile, ...args], {
    stdio: 'inherit',
    env: { ...process.env, SMARTGRID_REPO_ROOT: root },
  });
  return run.status ?? 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const command = ['stage', 'make-apk', 'feed', 'dist'].includes(args[0]) ? args : ['make-ipk', ...args];
  process.exitCode = await runPkgTool(command);
}
