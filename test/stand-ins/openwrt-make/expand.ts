// Expands an OpenWrt recipe with GNU make against the stand-ins in this folder (rules.mk,
// include/package.mk, feeds/luci/luci.mk) and returns, per BuildPackage call, what it printed.
import { execFileSync } from 'node:child_process';

export const STAND_IN_TOPDIR = __dirname;

/** Items of one package: PKG_* and Package/<name> fields, description, conffiles, Build/* and install, expanded. */
export type ExpandedPackage = Map<string, string>;

export function parseExpansion(output: string): Map<string, ExpandedPackage> {
  const packages = new Map<string, ExpandedPackage>();
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = /^@@ (\S+) (\S+)$/.exec(lines[i]!);
    if (!start) continue;
    const end = lines.indexOf('@@end', i + 1);
    if (end < 0) throw new Error(`unterminated block ${lines[i]}`);
    const items = packages.get(start[1]!) ?? new Map<string, string>();
    items.set(start[2]!, lines.slice(i + 1, end).join('\n'));
    packages.set(start[1]!, items);
    i = end;
  }
  return packages;
}

/** `make` in `recipeDir` with TOPDIR at the stand-ins; `variables` are extra command-line assignments. */
export function expandRecipe(recipeDir: string, variables: Record<string, string> = {}): Map<string, ExpandedPackage> {
  const env = { ...process.env };
  for (const inherited of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEFILES', 'GNUMAKEFLAGS']) delete env[inherited];
  const assignments = Object.entries({ TOPDIR: STAND_IN_TOPDIR, ...variables }).map(([name, value]) => `${name}=${value}`);
  const output = execFileSync('make', ['-s', '--no-print-directory', '-C', recipeDir, ...assignments], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseExpansion(output);
}
