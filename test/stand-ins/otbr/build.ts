import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

/** This folder, also when bundled into build/bench (no __dirname there: run from the repository root). */
const HERE = typeof __dirname === 'string' ? __dirname : join(process.cwd(), 'test/stand-ins/otbr');

let built: Promise<string> | undefined;

/** The stand-in bundled into an executable `otbr-agent` (shebang node), once per test process. */
export function otbrAgentStandIn(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otbr-standin-'));
    const bundle = join(dir, 'agent.mjs');
    await build({ entryPoints: [join(HERE, 'agent.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node18', logLevel: 'warning' });
    const binary = join(dir, 'otbr-agent');
    writeFileSync(binary, `#!${process.execPath}\n${readFileSync(bundle, 'utf8')}`);
    chmodSync(binary, 0o755);
    return binary;
  })();
  return built;
}
