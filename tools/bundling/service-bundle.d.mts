import type { BuildOptions } from 'esbuild';

/** esbuild options of the service bundles; callers add entryPoints, outfile, format and banner. */
export function serviceBundleOptions(options?: { validatorsOutFile?: string }): BuildOptions;
