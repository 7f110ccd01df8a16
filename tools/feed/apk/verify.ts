/**
 * Our own reader and verifier of apk v3 files: the index's signature against trusted keys, the hash
 * chain index -> package ADB block -> file contents, and the decoded package (info, files, scripts).
 * The messages are apk-tools' (../shared/conformance/apk/index/verify-results.json, install/D*).
 */
import { createHash } from 'node:crypto';
import { AdbReader } from './adb-reader.js';
import { AdbContainerError, decompress, parseStream } from './container.js';
import { formatDependency, type Dependency } from './dependency.js';
import { ACL, BLOCK_TYPE, DEP, DIR, FILE, INDEX, PKG, PKGINFO, SCHEMA_INDEX, SCHEMA_PACKAGE, SCRIPT_SLOTS, type ScriptName } from './schema.js';
import { findValidSignature, UntrustedSignatureError, type TrustedKey } from './sign.js';

export class ApkIntegrityError extends Error {}

export interface ApkPackageInfo {
  name: string;
  version: string;
  description?: string;
  arch?: string;
  license?: string;
  origin?: string;
  maintainer?: string;
  url?: string;
  installedSize: number;
  fileSize?: number;
  /** SHA-256 of the package's ADB block (index entry) or the 20-byte unique id (package). */
  hashes?: Buffer;
  depends: string[];
  provides: string[];
}

function readStream(bytes: Buffer, what: string, schema: number) {
  let parsed;
  try {
    parsed = parseStream(decompress(bytes));
  } catch (error) {
    if (error instanceof AdbContainerError) throw new ApkIntegrityError(`${what}: file format is invalid or inconsistent (${error.message})`);
    throw error;
  }
  if (parsed.schema !== schema) throw new ApkIntegrityError(`${what}: wrong ADB schema 0x${parsed.schema.toString(16)}`);
  return parsed;
}

/** The ADB block payload of a package file. */
export function readApkAdb(bytes: Buffer, what: string): Buffer {
  return readStream(bytes, what, SCHEMA_PACKAGE).blocks[0]!.payload;
}

function dependencies(reader: AdbReader, array: number): string[] {
  return reader.items(array).map((item) => {
    const dep: Dependency = { name: reader.string(reader.slot(item, DEP.name)) ?? '' };
    const version = reader.string(reader.slot(item, DEP.version));
    if (version !== undefined) dep.version = version;
    const match = reader.slot(item, DEP.match);
    if (match) dep.match = reader.int(match);
    return formatDependency(dep);
  });
}

export function decodePkginfo(reader: AdbReader, value: number): ApkPackageInfo {
  const field = (slot: number) => reader.slot(value, slot);
  const text = (slot: number) => reader.string(field(slot));
  const info: ApkPackageInfo = {
    name: text(PKGINFO.name) ?? '',
    version: text(PKGINFO.version) ?? '',
    installedSize: reader.int(field(PKGINFO.installedSize)),
    depends: dependencies(reader, field(PKGINFO.depends)),
    provides: dependencies(reader, field(PKGINFO.provides)),
  };
  const optional = { description: PKGINFO.description, arch: PKGINFO.arch, license: PKGINFO.license, origin: PKGINFO.origin, maintainer: PKGINFO.maintainer, url: PKGINFO.url } as const;
  for (const [key, slot] of Object.entries(optional)) {
    const found = text(slot);
    if (found !== undefined) info[key as keyof typeof optional] = found;
  }
  if (field(PKGINFO.fileSize)) info.fileSize = reader.int(field(PKGINFO.fileSize));
  const hashes = reader.blob(field(PKGINFO.hashes));
  if (hashes) info.hashes = Buffer.from(hashes);
  return info;
}

/** Verifies an index's signature with the trusted keys and returns its entries. */
export function verifyIndex(bytes: Buffer, keys: readonly TrustedKey[], what = 'packages.adb'): ApkPackageInfo[] {
  const { blocks } = readStream(bytes, what, SCHEMA_INDEX);
  const payload = blocks[0]!.payload;
  const signatures = blocks.filter((block) => block.type === BLOCK_TYPE.sig).map((block) => block.payload);
  if (!findValidSignature(SCHEMA_INDEX, payload, signatures, keys)) throw new UntrustedSignatureError(what);
  const reader = new AdbReader(payload);
  return reader.items(reader.slot(reader.root(), INDEX.packages)).map((entry) => decodePkginfo(reader, entry));
}

export interface ApkFileEntry {
  path: string;
  mode: number;
  size: number;
  mtime: number;
  sha256: Buffer;
  content: Buffer;
}

export interface DecodedApk {
  info: ApkPackageInfo;
  adb: Buffer;
  directories: Array<{ path: string; mode: number }>;
  files: ApkFileEntry[];
  scripts: Partial<Record<ScriptName, string>>;
}

function dataBlocks(blocks: ReturnType<typeof parseStream>['blocks']): Map<string, Buffer> {
  const data = new Map<string, Buffer>();
  for (const block of blocks.filter((b) => b.type === BLOCK_TYPE.data)) {
    if (block.payload.length < 8) throw new ApkIntegrityError('DATA block shorter than its header');
    data.set(`${block.payload.readUInt32LE(0)}/${block.payload.readUInt32LE(4)}`, block.payload.subarray(8));
  }
  return data;
}

/** Decodes a package and checks every file's content against its hash (`file integrity error`). */
export function decodeApk(bytes: Buffer, what = 'package'): DecodedApk {
  const { blocks } = readStream(bytes, what, SCHEMA_PACKAGE);
  const adb = blocks[0]!.payload;
  const reader = new AdbReader(adb);
  const root = reader.root();
  const info = decodePkginfo(reader, reader.slot(root, PKG.info));
  const data = dataBlocks(blocks);
  const decoded: DecodedApk = { info, adb, directories: [], files: [], scripts: {} };
  reader.items(reader.slot(root, PKG.paths)).forEach((dir, dirIndex) => {
    const dirName = reader.string(reader.slot(dir, DIR.name)) ?? '';
    decoded.directories.push({ path: `/${dirName}`, mode: reader.int(reader.slot(reader.slot(dir, DIR.acl), ACL.mode)) });
    reader.items(reader.slot(dir, DIR.files)).forEach((file, fileIndex) => {
      const name = reader.string(reader.slot(file, FILE.name)) ?? '';
      const size = reader.int(reader.slot(file, FILE.size));
      const sha256 = Buffer.from(reader.blob(reader.slot(file, FILE.hash)) ?? Buffer.alloc(0));
      const content = size ? data.get(`${dirIndex + 1}/${fileIndex + 1}`) : Buffer.alloc(0);
      if (!content || content.length !== size || !createHash('sha256').update(content).digest().equals(sha256)) {
        throw new ApkIntegrityError(`${info.name}-${info.version}: file integrity error (${dirName ? `${dirName}/` : ''}${name})`);
      }
      const mode = reader.int(reader.slot(reader.slot(file, FILE.acl), ACL.mode));
      decoded.files.push({ path: `/${dirName ? `${dirName}/` : ''}${name}`, mode, size, mtime: reader.int(reader.slot(file, FILE.mtime)), sha256, content });
    });
  });
  const scripts = reader.slot(root, PKG.scripts);
  for (const [name, slot] of Object.entries(SCRIPT_SLOTS)) {
    const text = reader.string(reader.slot(scripts, slot));
    if (text !== undefined) decoded.scripts[name as ScriptName] = text;
  }
  return decoded;
}

/** A package fetched for an index entry must have exactly the ADB block the index hashed. */
export function checkAgainstIndex(decoded: DecodedApk, entry: ApkPackageInfo): void {
  const actual = createHash('sha256').update(decoded.adb).digest();
  if (!entry.hashes || !actual.equals(entry.hashes)) throw new ApkIntegrityError(`${entry.name}-${entry.version}: ADB integrity error`);
}
