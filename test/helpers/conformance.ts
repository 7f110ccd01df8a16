import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** `../shared/conformance` beside the clone (as CI lays it out); SMARTGRID_CONFORMANCE_DIR overrides. */
export const CONFORMANCE_DIR = process.env.SMARTGRID_CONFORMANCE_DIR ?? resolve(repoRoot, '../shared/conformance');

export function conformancePath(...parts: string[]): string {
  return join(CONFORMANCE_DIR, ...parts);
}
