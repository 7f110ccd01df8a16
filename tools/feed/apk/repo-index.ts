/**
 * `apk mkndx` without apk-tools: packages.adb from built .apk files. Each entry is the package's
 * pkginfo copied value by value (adb_wo_copyobj, the 20-byte unique id included as an unreferenced
 * copy), then file-size and the SHA-256 of the package's ADB block as `hashes`; entries sorted by name.
 */
import { createHash } from 'node:crypto';
import { copyValue } from './adb-copy.js';
import { AdbReader } from './adb-reader.js';
import { AdbWriter, slots } from './adb-writer.js';
import { compress, encodeBlock, encodeStream } from './container.js';
import { compareBytes } from './dependency.js';
import { readApkAdb } from './verify.js';
import { BLOCK_TYPE, INDEX, PKG, PKGINFO, SCHEMA_INDEX } from './schema.js';
import { signatureBlockPayload } from './sign.js';

export interface IndexInput {
  /** Package files in the order mkndx gets them (OpenWrt passes the sorted `*.apk` glob). */
  packages: ReadonlyArray<{ filename: string; bytes: Buffer }>;
  /** PEM private keys; one SIG block each. None: an unsigned index. */
  signingKeys?: ReadonlyArray<string | Buffer>;
  description?: string;
}

export interface BuiltIndex {
  bytes: Buffer;
  adb: Buffer;
}

function indexEntry(index: AdbWriter, file: { filename: string; bytes: Buffer }): { name: string; version: string; value: number } {
  const payload = readApkAdb(file.bytes, file.filename);
  const reader = new AdbReader(payload);
  const info = reader.slot(reader.root(), PKG.info);
  const source = reader.object(info);
  const entry = slots(Math.max(source.length, PKGINFO.hashes + 1, PKGINFO.fileSize + 1));
  for (let i = 1; i < source.length; i++) entry[i] = copyValue(reader, index, source[i]!);
  entry[PKGINFO.fileSize] = index.int(file.bytes.length);
  entry[PKGINFO.hashes] = index.blob(createHash('sha256').update(payload).digest());
  const name = reader.string(source[PKGINFO.name] ?? 0);
  const version = reader.string(source[PKGINFO.version] ?? 0);
  if (!name || !version) throw new Error(`${file.filename}: package has no name or version`);
  return { name, version, value: index.object(entry) };
}

export function buildIndex(input: IndexInput): BuiltIndex {
  const adb = new AdbWriter();
  const entries = input.packages.map((file) => indexEntry(adb, file));
  entries.sort((a, b) => compareBytes(a.name, b.name) || compareBytes(a.version, b.version));
  const root = slots(INDEX.max);
  root[INDEX.description] = adb.blob(input.description);
  root[INDEX.packages] = adb.object([0, ...entries.map((entry) => entry.value)]);
  adb.setRoot(adb.object(root));
  const payload = adb.payload();
  const blocks = [encodeBlock(BLOCK_TYPE.adb, payload)];
  for (const key of input.signingKeys ?? []) blocks.push(encodeBlock(BLOCK_TYPE.sig, signatureBlockPayload(SCHEMA_INDEX, payload, key)));
  return { bytes: compress(encodeStream(SCHEMA_INDEX, blocks)), adb: payload };
}
