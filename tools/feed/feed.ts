/**
 * Builds the whole feed: one .ipk per catalog package, `Packages` (like ipkg-make-index.sh),
 * `Packages.gz`, `Packages.sig` (usign over the uncompressed index, as OpenWrt signs) and the
 * public key named by its fingerprint, ready to copy to /etc/opkg/keys/.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PACKAGES, DEFAULT_MAINTAINER, LICENSE, controlDepends, controlSource, type PackageSpec } from './catalog.js';
import { indexStanza, renderControl } from './control.js';
import { translationLanguages, translationSpec } from './i18n.js';
import { buildIpk, gzip } from './ipk.js';
import { ipkControlScripts } from './openwrt-scripts.js';
import { stagePackage } from './stage.js';
import { readTar } from './tar.js';
import { fingerprintHex, renderPublicKey, renderSignature, signMessage, type UsignSecretKey } from './usign.js';

export interface FeedOptions {
  repoRoot: string;
  outDir: string;
  /** Upstream version, e.g. `0.1.0`; the package Version is `<version>-r<release>`. */
  version: string;
  release: number;
  /** Every mtime in every archive, and the SourceDateEpoch field. */
  sourceDateEpoch: number;
  secretKey: UsignSecretKey;
  maintainer?: string;
  bundleDir?: string;
  /** Build only these packages (default: all). */
  only?: readonly string[];
}

export interface BuiltPackage {
  name: string;
  filename: string;
  size: number;
  control: string;
}

export interface FeedResult {
  packages: BuiltPackage[];
  fingerprint: string;
  keyFile: string;
}

const STALE_OUTPUT = /^(.+\.ipk|Packages|Packages\.gz|Packages\.sig|[0-9a-f]{16})$/;

export function packageVersion(version: string, release: number): string {
  if (!/^[0-9A-Za-z.+~]+$/.test(version)) throw new Error(`invalid version '${version}'`);
  if (!Number.isInteger(release) || release < 1) throw new Error(`invalid release '${release}'`);
  return `${version}-r${release}`;
}

function controlFor(spec: PackageSpec, options: FeedOptions) {
  return (installedSize: number) =>
    renderControl({
      Package: spec.name,
      Version: packageVersion(options.version, options.release),
      Depends: controlDepends(spec),
      Source: controlSource(spec),
      SourceName: spec.sourceName ?? spec.name,
      License: LICENSE,
      Section: spec.section,
      SourceDateEpoch: options.sourceDateEpoch,
      Maintainer: options.maintainer ?? DEFAULT_MAINTAINER,
      Architecture: 'all',
      'Installed-Size': installedSize,
      Description: spec.description,
    });
}

export function buildFeed(options: FeedOptions): FeedResult {
  const all = [...PACKAGES, ...translationLanguages(options.repoRoot).map(translationSpec)];
  const specs = options.only ? all.filter((spec) => options.only!.includes(spec.name)) : all;
  mkdirSync(options.outDir, { recursive: true });
  for (const name of readdirSync(options.outDir)) {
    if (STALE_OUTPUT.test(name)) rmSync(join(options.outDir, name));
  }
  const built: BuiltPackage[] = [];
  for (const spec of specs) {
    const staged = stagePackage(spec, { repoRoot: options.repoRoot, bundleDir: options.bundleDir });
    const ipk = buildIpk({
      control: controlFor(spec, options),
      files: staged.files,
      conffiles: spec.conffiles,
      scripts: ipkControlScripts(staged.scripts),
      sourceDateEpoch: options.sourceDateEpoch,
    });
    const filename = `${spec.name}_${packageVersion(options.version, options.release)}_all.ipk`;
    writeFileSync(join(options.outDir, filename), ipk.bytes);
    built.push({ name: spec.name, filename, size: ipk.bytes.length, control: ipk.control });
  }
  const index = writeIndex(options.outDir, built.map((pkg) => pkg.filename));
  const fingerprint = fingerprintHex(options.secretKey.fingerprint);
  writeFileSync(join(options.outDir, 'Packages.sig'), renderSignature(signMessage(index, options.secretKey)));
  const keyFile = join(options.outDir, fingerprint);
  writeFileSync(keyFile, renderPublicKey({ comment: `public key ${fingerprint}`, fingerprint: options.secretKey.fingerprint, publicKey: options.secretKey.publicKey }));
  return { packages: built, fingerprint, keyFile };
}

/** `Packages` + `Packages.gz` over the given ipk files of `dir`, sorted by file name. */
export function writeIndex(dir: string, filenames: readonly string[]): Buffer {
  const sorted = [...filenames].sort();
  let text = '';
  for (const filename of sorted) {
    const bytes = readIpk(join(dir, filename));
    text += indexStanza(bytes.control, filename, bytes.ipk);
  }
  const index = Buffer.from(text);
  writeFileSync(join(dir, 'Packages'), index);
  writeFileSync(join(dir, 'Packages.gz'), gzip(index));
  return index;
}

/** The control file of an ipk on disk (what `tar -xzOf pkg ./control.tar.gz | tar -xzOf - ./control` gives). */
export function readIpk(path: string): { ipk: Buffer; control: string } {
  const ipk = readFileSync(path);
  const outer = readTar(gunzipSync(ipk));
  const controlTar = outer.find((member) => member.path === './control.tar.gz');
  if (!controlTar) throw new Error(`${path}: no ./control.tar.gz`);
  const control = readTar(gunzipSync(controlTar.content)).find((member) => member.path === './control');
  if (!control) throw new Error(`${path}: control.tar.gz has no ./control`);
  return { ipk, control: control.content.toString('utf8') };
}
