// Builds one node-18 bundle per service and the LuCI page bundles.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceBundleOptions } from '../tools/bundling/service-bundle.mjs';

const root = new URL('..', import.meta.url).pathname;
export const SERVICES = ['thread', 'halow', 'lte', 'telemetry', 'sep2'];
const outDir = join(root, 'build', 'bundles');
mkdirSync(outDir, { recursive: true });
// The bundles are CommonJS; the repository's package.json says "type": "module".
writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');

const serviceBuilds = SERVICES.filter((name) => existsSync(join(root, 'src', name, 'main.ts'))).map((name) =>
  build({
    // A service validates its own section only: the bundle carries that validator alone.
    ...serviceBundleOptions({ validatorsOutFile: join(root, 'build', 'generated', name, 'validators.cjs'), sections: [name] }),
    entryPoints: [join(root, 'src', name, 'main.ts')],
    outfile: join(outDir, `smartgrid-${name}.js`),
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  }),
);

const toolsDir = join(root, 'src', 'tools');
const toolBuilds = existsSync(toolsDir)
  ? readdirSync(toolsDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((file) =>
      build({
        entryPoints: [join(toolsDir, file)],
        outfile: join(outDir, `smartgrid-${file.replace(/\.ts$/, '')}.js`),
        bundle: true,
        platform: 'node',
        target: 'node18',
        format: 'cjs',
        external: ['cbor-extract'],
        banner: { js: '#!/usr/bin/env node' },
        logLevel: 'warning',
      }),
    )
  : [];

const pagesDir = join(root, 'src', 'ui', 'pages');
const { pagePlugins } = existsSync(pagesDir) ? await import('../src/ui/build-plugins.mjs') : { pagePlugins: () => [] };
const pageBuilds = existsSync(pagesDir)
  ? [build({
      plugins: pagePlugins(root),
      entryPoints: readdirSync(pagesDir).filter((f) => /\.tsx?$/.test(f)).map((f) => join(pagesDir, f)),
      outdir: join(root, 'htdocs', 'luci-static', 'resources', 'smartgrid'),
      bundle: true,
      platform: 'browser',
      target: ['es2019'],
      format: 'iife',
      minify: true,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      logLevel: 'warning',
    })]
  : [];

await Promise.all([...serviceBuilds, ...toolBuilds, ...pageBuilds]);
console.log(`built ${serviceBuilds.length} service bundles, ${toolBuilds.length} tools, ${pageBuilds.length ? 'LuCI pages' : 'no LuCI pages'}`);
