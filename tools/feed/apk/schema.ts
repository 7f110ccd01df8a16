/**
 * Slot numbers and value types of apk-tools v3's ADB schemas (src/apk_adb.h, src/adb.h of apk-tools
 * 3.0.5): the package, index, pkginfo, dir, file, acl, scripts and dependency objects.
 */

export const ADB_TYPE = {
  special: 0x0,
  int: 0x1,
  int32: 0x2,
  int64: 0x3,
  blob8: 0x8,
  blob16: 0x9,
  blob32: 0xa,
  array: 0xd,
  object: 0xe,
} as const;

export const ADB_NULL = 0;

/** Schema magics as stored (le32 of 'pckg' and 'indx'). */
export const SCHEMA_PACKAGE = 0x676b6370;
export const SCHEMA_INDEX = 0x78646e69;

export const BLOCK_TYPE = { adb: 0, sig: 1, data: 2, ext: 3 } as const;

export const PKG = { info: 1, paths: 2, scripts: 3, triggers: 4, replacesPriority: 5, max: 6 } as const;
export const INDEX = { description: 1, packages: 2, pkgnameSpec: 3, max: 4 } as const;

/** pkginfo slots, in the order `apk mkpkg` assigns them. */
export const PKGINFO = {
  name: 1, version: 2, hashes: 3, description: 4, arch: 5, license: 6, origin: 7, maintainer: 8, url: 9,
  repoCommit: 10, buildTime: 11, installedSize: 12, fileSize: 13, providerPriority: 14, depends: 15,
  provides: 16, replaces: 17, installIf: 18, recommends: 19, layer: 20, tags: 21, max: 22,
} as const;

export const DIR = { name: 1, acl: 2, files: 3, max: 4 } as const;
export const FILE = { name: 1, acl: 2, size: 3, mtime: 4, hash: 5, target: 6, max: 7 } as const;
export const ACL = { mode: 1, user: 2, group: 3, xattrs: 4, max: 5 } as const;
export const DEP = { name: 1, version: 2, match: 3, max: 4 } as const;

/** Script slots by their `--script` names. */
export const SCRIPT_SLOTS = {
  trigger: 1, 'pre-install': 2, 'post-install': 3, 'pre-deinstall': 4, 'post-deinstall': 5, 'pre-upgrade': 6, 'post-upgrade': 7,
} as const;
export type ScriptName = keyof typeof SCRIPT_SLOTS;
export const SCRIPTS_MAX = 8;

/** Dependency match bits (apk_version.h). */
export const MATCH = { equal: 1, less: 2, greater: 4, fuzzy: 8, conflict: 16 } as const;
