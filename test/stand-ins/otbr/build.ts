import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

let built: Promise<string> | undefined;

/** The stand-in bundled into an executable `otbr-agent` (shebang node), once per test process. */
export function otbrAgentStandIn(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otbr-standin-'));
    const bundle = join(dir, 'agent.mjs');
    await build({ entryPoints: [join(__dirname, 'agent.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node18', logLevel: 'warning' });
    const binary = join(dir, 'otbr-agent');
    writeFileSync(binary, `#!${process.execPath}\n${readFileSync(bundle, 'utf8')}`);
    chmodSync(binary, 0o755);
    return binary;
  })();
  return built;
}
