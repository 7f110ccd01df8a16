// Bundles the uci stand-in into build/stand-ins/uci.cjs so plain `node` can run it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
export const UCI_BUNDLE = join(here, '..', '..', '..', 'build', 'stand-ins', 'uci.cjs');

export async function buildUciStandIn() {
  await build({
    entryPoints: [join(here, 'main.ts')],
    outfile: UCI_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    logLevel: 'warning',
  });
  return UCI_BUNDLE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildUciStandIn();
