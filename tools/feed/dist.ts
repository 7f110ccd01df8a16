/**
 * `make dist`: the release tarball the OpenWrt recipes build from (PKG_SOURCE), with everything
 * already built: smartgrid-<version>/root/<package>/<device path> holds the files of each catalog
 * package exactly as `make ipk`/`make apk` package them. The SDK then only unpacks and installs: no
 * node, npm or network at build time. Same tree and SOURCE_DATE_EPOCH, same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES } from './catalog.js';
import { gzip, treeEntries, type PackageFile } from './ipk.js';
import { stagePackage } from './stage.js';
import { writeTar } from './tar.js';

export interface DistOptions {
  repoRoot: string;
  outDir: string;
  version: string;
  sourceDateEpoch: number;
  bundleDir?: string;
}

export interface BuiltDist {
  path: string;
  filename: string;
  sha256: string;
}

export function distName(version: string): string {
  return `smartgrid-${version}`;
}

export function buildDist(options: DistOptions): BuiltDist {
  const top = distName(options.version);
  const files: PackageFile[] = PACKAGES.flatMap((spec) =>
    stagePackage(spec, { repoRoot: options.repoRoot, bundleDir: options.bundleDir }).files.map((file) => ({ ...file, path: `/${top}/root/${spec.name}${file.path}` })),
  );
  // Entries as `smartgrid-<version>/...` (no leading ./), so `tar --strip-components=1` drops the top dir.
  const entries = treeEntries(files).filter((entry) => entry.path !== './').map((entry) => ({ ...entry, path: entry.path.slice(2) }));
  const bytes = gzip(writeTar(entries, options.sourceDateEpoch));
  mkdirSync(options.outDir, { recursive: true });
  const filename = `${top}.tar.gz`;
  const path = join(options.outDir, filename);
  writeFileSync(path, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(join(options.outDir, 'release.mk'), `# Written by \`make dist\` for ${filename}: copy to package/release.mk when publishing it.\nSMARTGRID_SOURCE_HASH:=${sha256}\n`);
  return { path, filename, sha256 };
}
