// esbuild options shared by the shipped service bundles (scripts/build.mjs) and the bundles the
// integration tests and the bench run (test/integration/telemetry/child.ts), so both measure the same
// code. Whitespace and syntax are minified (no comments, so the source V8 keeps in its heap is small and
// one-byte); identifiers are kept, so stack traces in the system log stay readable.
import { precompiledValidatorsPlugin } from '../../src/lib/config/precompiled-validators.mjs';
import { readingValidatorsRedirect } from '../../src/telemetry/ingest/precompiled-reading-validators.mjs';
import { mqttBundlePlugin } from './mqtt-bundle-plugin.mjs';

/** @param {{ validatorsOutFile?: string }} [options] */
export function serviceBundleOptions({ validatorsOutFile } = {}) {
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
    plugins: [mqttBundlePlugin(), precompiledValidatorsPlugin({ outFile: validatorsOutFile, redirects: [readingValidatorsRedirect] })],
    logLevel: 'warning',
  };
}
