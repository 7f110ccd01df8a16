/**
 * `apk mkpkg` without apk-tools: an unsigned apk v3 package (ADB block + one DATA block per non-empty
 * file) from package info, a file tree and maintainer scripts, byte for byte as apk-tools 3.0.5 writes
 * it under fakeroot with SOURCE_DATE_EPOCH (compat 3.0.0_pre1: every directory listed, root included).
 */
import { createHash } from 'node:crypto';
import { AdbWriter, slots } from './adb-writer.js';
import { compress, encodeBlock, encodeStream } from './container.js';
import { compareBytes, isApkVersion, parseDependency } from './dependency.js';
import { ACL, ADB_NULL, BLOCK_TYPE, DEP, DIR, FILE, PKG, PKGINFO, SCHEMA_PACKAGE, SCRIPT_SLOTS, SCRIPTS_MAX, type ScriptName } from './schema.js';

export interface ApkInfo {
  name: string;
  version: string;
  description?: string;
  /** `noarch` for architecture-independent packages (OpenWrt's PKGARCH all). */
  arch: string;
  license?: string;
  origin?: string;
  maintainer?: string;
  url?: string;
  providerPriority?: number;
  depends?: readonly string[];
  provides?: readonly string[];
  replaces?: readonly string[];
}

export interface ApkFile {
  /** Absolute path on the device. */
  path: string;
  mode: number;
  content: Uint8Array;
}

export interface ApkInput {
  info: ApkInfo;
  /** Omitted: a package without a file tree (no --files), like the libc/node stubs. */
  files?: readonly ApkFile[];
  scripts?: Partial<Record<ScriptName, string>>;
  sourceDateEpoch: number;
}

const OWNER = 'root';
const DIRECTORY_MODE = 0o755;
const UNIQUE_ID_LENGTH = 20;

interface Tree {
  /** Relative directory paths ('' = root), sorted as apk sorts them (root first, then strcmp). */
  dirs: string[];
  /** Files of each directory, sorted by name. */
  filesIn: Map<string, ApkFile[]>;
}

function fileTree(files: readonly ApkFile[]): Tree {
  const filesIn = new Map<string, ApkFile[]>([['', []]]);
  const seen = new Set<string>();
  for (const file of files) {
    if (!file.path.startsWith('/') || file.path.endsWith('/') || file.path.split('/').slice(1).some((p) => p === '' || p === '.' || p === '..')) {
      throw new Error(`package file path must be absolute and normal: '${file.path}'`);
    }
    if (seen.has(file.path)) throw new Error(`package file listed twice: '${file.path}'`);
    seen.add(file.path);
    const parts = file.path.slice(1).split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const dir = parts.slice(0, depth).join('/');
      if (seen.has(`/${dir}`)) throw new Error(`'/${dir}' is both a file and a directory`);
      if (!filesIn.has(dir)) filesIn.set(dir, []);
    }
    filesIn.get(parts.slice(0, -1).join('/'))!.push(file);
  }
  for (const list of filesIn.values()) list.sort((a, b) => compareBytes(baseName(a.path), baseName(b.path)));
  const dirs = [...filesIn.keys()].filter((dir) => dir !== '').sort(compareBytes);
  return { dirs: ['', ...dirs], filesIn };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function writeAcl(adb: AdbWriter, mode: number): number {
  const acl = slots(ACL.max);
  acl[ACL.mode] = adb.int(mode & 0o7777);
  acl[ACL.user] = adb.blob(OWNER);
  acl[ACL.group] = adb.blob(OWNER);
  return adb.object(acl);
}

/** A dependency array: each entry written in the given order, then the array sorted by name (sort_unique). */
export function writeDependencies(adb: AdbWriter, texts: readonly string[] | undefined): number {
  if (!texts?.length) return ADB_NULL;
  const entries = texts.map((text) => {
    const dep = parseDependency(text);
    const object = slots(DEP.max);
    object[DEP.name] = adb.blob(dep.name);
    if (dep.version !== undefined) object[DEP.version] = adb.blob(dep.version);
    if (dep.match !== undefined) object[DEP.match] = adb.int(dep.match);
    return { dep, value: adb.object(object) };
  });
  entries.sort((a, b) => compareBytes(a.dep.name, b.dep.name) || compareBytes(a.dep.version, b.dep.version) || (a.dep.match ?? 0) - (b.dep.match ?? 0));
  const unique = entries.filter((entry, i) => i === 0 || entry.value !== entries[i - 1]!.value);
  return adb.object([0, ...unique.map((entry) => entry.value)]);
}

/** assign_fields: the given info fields in slot order (everything before the file tree is scanned). */
function writeInfoFields(adb: AdbWriter, info: ApkInfo): number[] {
  const pkginfo = slots(PKGINFO.max);
  pkginfo[PKGINFO.name] = adb.blob(info.name);
  pkginfo[PKGINFO.version] = adb.blob(info.version);
  pkginfo[PKGINFO.description] = adb.blob(info.description);
  pkginfo[PKGINFO.arch] = adb.blob(info.arch);
  pkginfo[PKGINFO.license] = adb.blob(info.license);
  pkginfo[PKGINFO.origin] = adb.blob(info.origin);
  pkginfo[PKGINFO.maintainer] = adb.blob(info.maintainer);
  pkginfo[PKGINFO.url] = adb.blob(info.url);
  if (info.providerPriority !== undefined) pkginfo[PKGINFO.providerPriority] = adb.int(info.providerPriority);
  pkginfo[PKGINFO.depends] = writeDependencies(adb, info.depends);
  pkginfo[PKGINFO.provides] = writeDependencies(adb, info.provides);
  pkginfo[PKGINFO.replaces] = writeDependencies(adb, info.replaces);
  return pkginfo;
}

function writeDirectory(adb: AdbWriter, dir: string, files: readonly ApkFile[], mtime: number): number {
  const fileValues = files.map((file) => {
    const object = slots(FILE.max);
    object[FILE.name] = adb.blob(baseName(file.path));
    object[FILE.hash] = adb.blob(createHash('sha256').update(file.content).digest());
    object[FILE.mtime] = adb.int(mtime);
    object[FILE.size] = adb.int(file.content.length);
    object[FILE.acl] = writeAcl(adb, file.mode);
    return adb.object(object);
  });
  const object = slots(DIR.max);
  object[DIR.name] = adb.blob(dir);
  object[DIR.acl] = writeAcl(adb, DIRECTORY_MODE);
  object[DIR.files] = adb.object([0, ...fileValues]);
  return adb.object(object);
}

function writeScripts(adb: AdbWriter, scripts: ApkInput['scripts']): number {
  const object = slots(SCRIPTS_MAX);
  for (const [name, slot] of Object.entries(SCRIPT_SLOTS)) object[slot] = adb.blob(scripts?.[name as ScriptName]);
  return adb.object(object);
}

export interface BuiltApk {
  /** The file as written (`ADBd` + deflate). */
  bytes: Buffer;
  /** The ADB block payload: what an index entry's hash covers. */
  adb: Buffer;
  installedSize: number;
}

const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

export function buildApk(input: ApkInput): BuiltApk {
  if (!PACKAGE_NAME.test(input.info.name)) throw new Error(`invalid apk package name '${input.info.name}'`);
  if (!isApkVersion(input.info.version)) throw new Error(`${input.info.name}: invalid apk version '${input.info.version}' (X.Y.Z-rN)`);
  const adb = new AdbWriter();
  const pkginfo = writeInfoFields(adb, input.info);
  const tree = input.files ? fileTree(input.files) : undefined;
  const dirValues = tree ? tree.dirs.map((dir) => writeDirectory(adb, dir, tree.filesIn.get(dir)!, input.sourceDateEpoch)) : [];
  const hasScripts = Object.values(input.scripts ?? {}).some((text) => text !== undefined);
  const fileBytes = input.files?.reduce((sum, file) => sum + file.content.length, 0) ?? 0;
  const installedSize = fileBytes || (tree || hasScripts ? 1 : 0);
  pkginfo[PKGINFO.installedSize] = adb.int(installedSize);
  pkginfo[PKGINFO.hashes] = adb.blob(Buffer.alloc(UNIQUE_ID_LENGTH), true);
  const root = slots(PKG.max);
  root[PKG.info] = adb.object(pkginfo);
  root[PKG.paths] = adb.object([0, ...dirValues]);
  if (hasScripts) root[PKG.scripts] = writeScripts(adb, input.scripts);
  adb.setRoot(adb.object(root));

  const payload = adb.payload();
  const hashesAt = (pkginfo[PKGINFO.hashes]! & 0x0fffffff) + 1;
  createHash('sha256').update(payload).digest().copy(payload, hashesAt, 0, UNIQUE_ID_LENGTH);

  const blocks = [encodeBlock(BLOCK_TYPE.adb, payload)];
  tree?.dirs.forEach((dir, dirIndex) => {
    tree.filesIn.get(dir)!.forEach((file, fileIndex) => {
      if (file.content.length === 0) return;
      const header = Buffer.alloc(8);
      header.writeUInt32LE(dirIndex + 1, 0);
      header.writeUInt32LE(fileIndex + 1, 4);
      blocks.push(encodeBlock(BLOCK_TYPE.data, Buffer.concat([header, file.content])));
    });
  });
  return { bytes: compress(encodeStream(SCHEMA_PACKAGE, blocks)), adb: payload, installedSize };
}
