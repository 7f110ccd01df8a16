/**
 * Builds an OpenWrt .ipk the way scripts/ipkg-build does: a gzip'd GNU tar holding
 * `./debian-binary`, `./data.tar.gz` and `./control.tar.gz` in that order, owner 0/0,
 * every mtime set to SOURCE_DATE_EPOCH, entries sorted by name: the same input gives the same bytes.
 */
import { gzipSync } from 'node:zlib';
import { writeTar, type TarEntry } from './tar.js';

export interface PackageFile {
  /** Absolute path on the device, e.g. `/usr/lib/smartgrid/smartgrid-lte.js`. */
  path: string;
  mode: number;
  content: Uint8Array;
}

export interface IpkInput {
  /** The control file without Installed-Size (filled in from the data tar, like ipkg-build). */
  control: (installedSize: number) => string;
  files: readonly PackageFile[];
  conffiles: readonly string[];
  /** Maintainer scripts by name (postinst, prerm, ...), written with mode 0755. */
  scripts: Readonly<Record<string, string>>;
  sourceDateEpoch: number;
}

export interface BuiltIpk {
  bytes: Buffer;
  control: string;
  installedSize: number;
}

const DIRECTORY_MODE = 0o755;

export function gzip(data: Uint8Array): Buffer {
  // Level 9 and no name/mtime in the header, as in the conformance ipk (gzip -9n).
  return gzipSync(data, { level: 9 });
}

/** Tar entries for a file tree: `./`, then every directory and file depth-first in byte order of names. */
export function treeEntries(files: readonly PackageFile[]): TarEntry[] {
  interface Node { children: Map<string, Node>; file?: PackageFile }
  const root: Node = { children: new Map() };
  for (const file of files) {
    if (!file.path.startsWith('/') || file.path.endsWith('/') || file.path.split('/').includes('..')) {
      throw new Error(`package file path must be absolute and normal: '${file.path}'`);
    }
    let node = root;
    for (const part of file.path.slice(1).split('/')) {
      let child = node.children.get(part);
      if (!child) {
        child = { children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    }
    if (node.file) throw new Error(`package file listed twice: '${file.path}'`);
    node.file = file;
  }
  const entries: TarEntry[] = [{ path: './', type: 'directory', mode: DIRECTORY_MODE }];
  const walk = (node: Node, prefix: string) => {
    const names = [...node.children.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      const child = node.children.get(name)!;
      if (child.file) {
        if (child.children.size) throw new Error(`'${child.file.path}' is both a file and a directory`);
        entries.push({ path: `${prefix}${name}`, type: 'file', mode: child.file.mode, content: child.file.content });
      } else {
        entries.push({ path: `${prefix}${name}/`, type: 'directory', mode: DIRECTORY_MODE });
        walk(child, `${prefix}${name}/`);
      }
    }
  };
  walk(root, './');
  return entries;
}

export function buildIpk(input: IpkInput): BuiltIpk {
  const { sourceDateEpoch: mtime } = input;
  const dataTar = writeTar(treeEntries(input.files), mtime);
  const installedSize = dataTar.length;
  const control = input.control(installedSize);
  const controlFiles: PackageFile[] = [{ path: '/control', mode: 0o644, content: Buffer.from(control) }];
  if (input.conffiles.length) {
    const listed = [...input.conffiles].sort();
    for (const conffile of listed) {
      if (!input.files.some((file) => file.path === conffile)) throw new Error(`conffile '${conffile}' is not in the package`);
    }
    controlFiles.push({ path: '/conffiles', mode: 0o644, content: Buffer.from(`${listed.join('\n')}\n`) });
  }
  for (const [name, text] of Object.entries(input.scripts)) {
    controlFiles.push({ path: `/${name}`, mode: 0o755, content: Buffer.from(text) });
  }
  const controlTar = writeTar(treeEntries(controlFiles), mtime);
  const outer = writeTar(
    [
      { path: './debian-binary', type: 'file', mode: 0o644, content: Buffer.from('2.0\n') },
      { path: './data.tar.gz', type: 'file', mode: 0o644, content: gzip(dataTar) },
      { path: './control.tar.gz', type: 'file', mode: 0o644, content: gzip(controlTar) },
    ],
    mtime,
  );
  return { bytes: gzip(outer), control, installedSize };
}
