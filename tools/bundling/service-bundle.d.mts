import type { BuildOptions } from 'esbuild';
import type { ValidatorRedirect } from '../../src/lib/config/precompiled-validators.mjs';

/** The validator redirects the services declare in src/<service>/bundle.json. */
export function declaredRedirects(srcDir?: string): Promise<ValidatorRedirect[]>;
/** esbuild options of the service bundles; callers add entryPoints, outfile, format and banner. */
/** `sections`: the config sections whose validators the bundle carries (default all). */
export function serviceBundleOptions(options?: { validatorsOutFile?: string; sections?: readonly string[] }): BuildOptions;
