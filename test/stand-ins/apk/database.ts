/**
 * The installed-package database of the apk stand-in, in apk-tools 3.0.5's on-disk text form
 * (lib/apk/db/installed, etc/apk/world; ../shared/conformance/apk/install/db-*): one stanza per
 * package (C: P: V: A: S: I: T: U: L: o: m: D: p:), then F:dir / R:file / a:uid:gid:mode / Z:hash.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface InstalledFile {
  /** Path relative to the root, no leading slash. */
  path: string;
  mode: number;
  /** Hex SHA-256 of the content the package shipped. */
  sha256: string;
}

export interface InstalledPackage {
  /** `Q1` + base64 of the first 20 bytes of the index entry's hash. */
  checksum: string;
  name: string;
  version: string;
  arch: string;
  fileSize: number;
  installedSize: number;
  description: string;
  url: string;
  license: string;
  origin?: string;
  maintainer?: string;
  depends: string[];
  provides: string[];
  directories: string[];
  files: InstalledFile[];
}

const q1 = (hex: string) => `Q1${Buffer.from(hex, 'hex').subarray(0, 20).toString('base64')}`;

function stanza(pkg: InstalledPackage): string {
  const lines = [`C:${pkg.checksum}`, `P:${pkg.name}`, `V:${pkg.version}`, `A:${pkg.arch}`, `S:${pkg.fileSize}`, `I:${pkg.installedSize}`, `T:${pkg.description}`, `U:${pkg.url}`, `L:${pkg.license}`];
  if (pkg.origin) lines.push(`o:${pkg.origin}`);
  if (pkg.maintainer) lines.push(`m:${pkg.maintainer}`);
  if (pkg.depends.length) lines.push(`D:${pkg.depends.join(' ')}`);
  if (pkg.provides.length) lines.push(`p:${pkg.provides.join(' ')}`);
  if (pkg.files.length || pkg.directories.length) lines.push('f:S');
  for (const dir of pkg.directories) {
    lines.push(`F:${dir}`);
    for (const file of pkg.files.filter((f) => dirname(f.path) === dir)) {
      lines.push(`R:${file.path.slice(dir.length + 1)}`);
      if (file.mode !== 0o644) lines.push(`a:0:0:${file.mode.toString(8)}`);
      lines.push(`Z:${q1(file.sha256)}`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}

function parseStanza(text: string): InstalledPackage {
  const pkg: InstalledPackage = {
    checksum: '', name: '', version: '', arch: '', fileSize: 0, installedSize: 0, description: '', url: '', license: '',
    depends: [], provides: [], directories: [], files: [],
  };
  let dir = '';
  let file: InstalledFile | undefined;
  for (const line of text.split('\n')) {
    const key = line.slice(0, 1);
    const value = line.slice(2);
    switch (key) {
      case 'C': pkg.checksum = value; break;
      case 'P': pkg.name = value; break;
      case 'V': pkg.version = value; break;
      case 'A': pkg.arch = value; break;
      case 'S': pkg.fileSize = Number(value); break;
      case 'I': pkg.installedSize = Number(value); break;
      case 'T': pkg.description = value; break;
      case 'U': pkg.url = value; break;
      case 'L': pkg.license = value; break;
      case 'o': pkg.origin = value; break;
      case 'm': pkg.maintainer = value; break;
      case 'D': pkg.depends = value.split(' ').filter(Boolean); break;
      case 'p': pkg.provides = value.split(' ').filter(Boolean); break;
      case 'F': dir = value; pkg.directories.push(dir); break;
      case 'R': file = { path: `${dir}/${value}`, mode: 0o644, sha256: '' }; pkg.files.push(file); break;
      case 'a': if (file) file.mode = parseInt(value.split(':')[2]!, 8); break;
      case 'Z': if (file) file.sha256 = Buffer.from(value.slice(2), 'base64').toString('hex'); break;
      default: break;
    }
  }
  return pkg;
}

/** Z: keeps only 20 bytes: compare a file's SHA-256 with a recorded one on that prefix. */
export function sameContent(recorded: string, sha256: string): boolean {
  return recorded.length > 0 && sha256.startsWith(recorded);
}

export class ApkDatabase {
  constructor(private readonly root: string) {}

  private path(relative: string): string {
    return join(this.root, relative);
  }

  packages(): InstalledPackage[] {
    const file = this.path('lib/apk/db/installed');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split(/\n\n+/).filter((block) => block.trim()).map(parseStanza);
  }

  world(): string[] {
    const file = this.path('etc/apk/world');
    return existsSync(file) ? readFileSync(file, 'utf8').split(/\s+/).filter(Boolean) : [];
  }

  save(packages: readonly InstalledPackage[], world: readonly string[]): void {
    mkdirSync(this.path('lib/apk/db'), { recursive: true });
    mkdirSync(this.path('etc/apk'), { recursive: true });
    writeFileSync(this.path('lib/apk/db/installed'), packages.map(stanza).join(''));
    writeFileSync(this.path('etc/apk/world'), `${[...new Set(world)].sort().join(' ')}\n`);
    if (!existsSync(this.path('lib/apk/db/triggers'))) writeFileSync(this.path('lib/apk/db/triggers'), '');
  }

  static checksum(indexHash: Buffer): string {
    return q1(indexHash.toString('hex'));
  }
}
