// esbuild options shared by the shipped service bundles (scripts/build.mjs) and the bundles the
// integration tests and the bench run (test/integration/telemetry/child.ts), so both measure the same
// code. Whitespace and syntax are minified (no comments, so the source V8 keeps in its heap is small and
// one-byte); identifiers are kept, so stack traces in the system log stay readable.
//
// Each service declares what its bundle needs at build time in src/<service>/bundle.json (for now:
// `validatorRedirects`, modules swapped for code generated from schemas); this file knows no service.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompiledValidatorsPlugin } from '../../src/lib/config/precompiled-validators.mjs';
import { asciiOutputPlugin } from './ascii-output-plugin.mjs';
import { mqttBundlePlugin } from './mqtt-bundle-plugin.mjs';

const SRC_DIR = fileURLToPath(new URL('../../src/', import.meta.url));

/** The `validatorRedirects` every src/<service>/bundle.json declares, loaded (`path#export`). */
export async function declaredRedirects(srcDir = SRC_DIR) {
  const redirects = [];
  for (const service of readdirSync(srcDir).sort()) {
    const manifestPath = join(srcDir, service, 'bundle.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    for (const entry of manifest.validatorRedirects ?? []) {
      const [file, name] = entry.split('#');
      if (!file || !name) throw new Error(`${manifestPath}: validatorRedirects entry '${entry}' is not 'path#export'`);
      const loaded = (await import(join(srcDir, service, file)))[name];
      if (!loaded?.module || typeof loaded.generate !== 'function') throw new Error(`${manifestPath}: ${entry} is not a validator redirect ({ module, generate })`);
      redirects.push(loaded);
    }
  }
  return redirects;
}

const redirects = await declaredRedirects();

/** @param {{ validatorsOutFile?: string, sections?: readonly string[] }} [options] */
export function serviceBundleOptions({ validatorsOutFile, sections } = {}) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node18',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    charset: 'ascii',
    sourcemap: false,
    // cbor-x tries an optional native addon first; the device gets the pure-JS path.
    external: ['cbor-extract'],
    // Config and reading validators compiled from their schemas now, not by ajv at start-up (idle RSS).
    plugins: [mqttBundlePlugin(), precompiledValidatorsPlugin({ outFile: validatorsOutFile, redirects, sections }), asciiOutputPlugin()],
    logLevel: 'warning',
  };
}
