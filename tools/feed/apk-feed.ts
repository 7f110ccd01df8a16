/**
 * `make apk`: one apk v3 package per catalog package (arch noarch, version X.Y.Z-rN) and a signed
 * packages.adb, as OpenWrt 25.12's build makes them (include/package-pack.mk + package/Makefile's
 * mkndx): the package's file list, conffiles and conffile checksums under /lib/apk/packages/, the
 * virtual `<name>-any` provide, the OpenWrt maintainer scripts; plus the public key to trust.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApk, type ApkFile } from './apk/package.js';
import { buildIndex } from './apk/repo-index.js';
import { APK_PUBLIC_KEY_NAME } from './apk-keys.js';
import { DEFAULT_MAINTAINER, LICENSE, PACKAGES, controlSource, packageDepends, type PackageSpec } from './catalog.js';
import { translationLanguages, translationSpec } from './i18n.js';
import { apkScripts } from './openwrt-scripts.js';
import { stagePackage } from './stage.js';

export interface ApkFeedOptions {
  repoRoot: string;
  outDir: string;
  version: string;
  release: number;
  sourceDateEpoch: number;
  privateKeyPem: string;
  publicKeyPem: string;
  maintainer?: string;
  bundleDir?: string;
  only?: readonly string[];
}

export interface BuiltApkPackage {
  name: string;
  filename: string;
  size: number;
}

const STALE_OUTPUT = /^(.+\.apk|packages\.adb|smartgrid-feed\.pem)$/;
const APK_META_DIR = '/lib/apk/packages';

export function apkVersion(version: string, release: number): string {
  if (!Number.isInteger(release) || release < 1) throw new Error(`invalid release '${release}'`);
  return `${version}-r${release}`;
}

/** Make's $(strip): the description on one line, as OpenWrt passes it to --info description:. */
function oneLine(text: string): string {
  return text.split(/\s+/).filter(Boolean).join(' ');
}

/** OpenWrt's metadata files inside the data tree: <pkg>.list (written first), .conffiles, .conffiles_static. */
export function openwrtMetadata(spec: PackageSpec, files: readonly ApkFile[]): ApkFile[] {
  const meta: ApkFile[] = [];
  const list = files.map((file) => file.path).sort();
  meta.push({ path: `${APK_META_DIR}/${spec.name}.list`, mode: 0o644, content: Buffer.from(list.map((p) => `${p}\n`).join('')) });
  if (spec.conffiles.length) {
    meta.push({ path: `${APK_META_DIR}/${spec.name}.conffiles`, mode: 0o644, content: Buffer.from(spec.conffiles.map((p) => `${p}\n`).join('')) });
    const sums = spec.conffiles.map((path) => {
      const file = files.find((candidate) => candidate.path === path);
      if (!file) throw new Error(`${spec.name}: conffile '${path}' is not in the package`);
      return `${path} ${createHash('sha256').update(file.content).digest('hex')}\n`;
    });
    meta.push({ path: `${APK_META_DIR}/${spec.name}.conffiles_static`, mode: 0o644, content: Buffer.from(sums.join('')) });
  }
  return meta;
}

function buildOne(spec: PackageSpec, options: ApkFeedOptions): BuiltApkPackage {
  const staged = stagePackage(spec, { repoRoot: options.repoRoot, bundleDir: options.bundleDir });
  const version = apkVersion(options.version, options.release);
  const built = buildApk({
    info: {
      name: spec.name,
      version,
      description: oneLine(spec.description),
      arch: 'noarch',
      license: LICENSE,
      origin: controlSource(spec),
      maintainer: options.maintainer ?? DEFAULT_MAINTAINER,
      provides: [`${spec.name}-any`],
      depends: packageDepends(spec, 'apk'),
    },
    files: [...staged.files, ...openwrtMetadata(spec, staged.files)],
    scripts: apkScripts(spec.name, staged.scripts),
    sourceDateEpoch: options.sourceDateEpoch,
  });
  const filename = `${spec.name}-${version}.apk`;
  writeFileSync(join(options.outDir, filename), built.bytes);
  return { name: spec.name, filename, size: built.bytes.length };
}

export function buildApkFeed(options: ApkFeedOptions): { packages: BuiltApkPackage[]; keyFile: string } {
  const all = [...PACKAGES, ...translationLanguages(options.repoRoot).map(translationSpec)];
  const specs = options.only ? all.filter((spec) => options.only!.includes(spec.name)) : all;
  mkdirSync(options.outDir, { recursive: true });
  for (const name of readdirSync(options.outDir)) {
    if (STALE_OUTPUT.test(name)) rmSync(join(options.outDir, name));
  }
  const packages = specs.map((spec) => buildOne(spec, options));
  const sorted = packages.map((pkg) => pkg.filename).sort();
  const index = buildIndex({
    packages: sorted.map((filename) => ({ filename, bytes: readFileSync(join(options.outDir, filename)) })),
    signingKeys: [options.privateKeyPem],
  });
  writeFileSync(join(options.outDir, 'packages.adb'), index.bytes);
  const keyFile = join(options.outDir, APK_PUBLIC_KEY_NAME);
  writeFileSync(keyFile, options.publicKeyPem);
  return { packages, keyFile };
}
