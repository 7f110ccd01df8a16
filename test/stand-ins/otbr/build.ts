import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CONFORMANCE_DIR } from '../../helpers/conformance.js';

/** This folder, also when bundled into build/bench (no __dirname there: run from the repository root). */
const HERE = typeof __dirname === 'string' ? __dirname : join(process.cwd(), 'test/stand-ins/otbr');

const built = new Map<string, Promise<string>>();

/**
 * `entry` bundled into an executable `name` (shebang node), once per test process. The bundle lives
 * in a temporary folder, so it is told where the captures are (it replays them).
 */
function executable(entry: string, name: string): Promise<string> {
  let binary = built.get(name);
  if (!binary) {
    binary = (async () => {
      const dir = mkdtempSync(join(tmpdir(), `${name}-standin-`));
      const bundle = join(dir, `${name}.mjs`);
      const banner = `process.env.SMARTGRID_CONFORMANCE_DIR ??= ${JSON.stringify(CONFORMANCE_DIR)};`;
      await build({ entryPoints: [join(HERE, entry)], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node18', logLevel: 'warning', banner: { js: banner } });
      const path = join(dir, name);
      writeFileSync(path, `#!${process.execPath}\n${readFileSync(bundle, 'utf8')}`);
      chmodSync(path, 0o755);
      return path;
    })();
    built.set(name, binary);
  }
  return binary;
}

export function otbrAgentStandIn(): Promise<string> {
  return executable('agent.ts', 'otbr-agent');
}

export function otCtlStandIn(): Promise<string> {
  return executable('ot-ctl.ts', 'ot-ctl');
}
