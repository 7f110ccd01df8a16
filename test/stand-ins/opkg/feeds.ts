/**
 * The feed side of the opkg stand-in, as captured in ../shared/conformance/opkg/C_feed_*.json:
 * `opkg update` fetches <feed>/Packages.gz (file:// URLs only) into var/opkg-lists/<name> and, with
 * `option check_signature 1`, Packages.sig, verified with usign against etc/opkg/keys/<fingerprint>.
 * A bad or untrusted signature drops the list and still exits 0; a missing one exits 1.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { verifyWithKeyDir } from '../../../tools/feed/usign.js';

export interface Feed {
  /** The `src/gz <name> <url>` line's name and file:// URL. */
  name: string;
  url: string;
}

export interface FeedPackage {
  feed: Feed;
  fields: Map<string, string>;
}

const LISTS_DIR = 'var/opkg-lists';

function parseIndex(text: string): Array<Map<string, string>> {
  return text.split(/\n\n+/).filter((block) => block.trim()).map((block) => {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0 && !/^\s/.test(line)) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    return fields;
  });
}

/** `file:///dir` as opkg prints the source of a copy: the URL without its `file:` scheme. */
export function feedPath(url: string): string {
  if (!url.startsWith('file://')) throw new Error(`the opkg stand-in reads file:// feeds only, not '${url}'`);
  return url.slice('file:'.length);
}

export interface FeedResult { exitCode: number; stdout: string; stderr: string }

/** `opkg update`. */
export function updateLists(root: string, feeds: readonly Feed[], checkSignature: boolean): FeedResult {
  const result = { exitCode: 0, stdout: [] as string[], errors: [] as string[] };
  const listsDir = join(root, LISTS_DIR);
  mkdirSync(listsDir, { recursive: true });
  for (const feed of feeds) {
    const source = feedPath(feed.url);
    const list = join(listsDir, feed.name);
    result.stdout.push(`Downloading ${feed.url}/Packages.gz`);
    if (!existsSync(`${source}/Packages.gz`)) {
      result.errors.push(`copy_file: ${source}/Packages.gz: No such file or directory.`);
      result.exitCode = 1;
      continue;
    }
    writeFileSync(list, gunzipSync(readFileSync(`${source}/Packages.gz`)));
    result.stdout.push(`Updated list of available packages in ${root}//${LISTS_DIR}/${feed.name}`);
    if (!checkSignature) continue;
    result.stdout.push(`Downloading ${feed.url}/Packages.sig`);
    if (!existsSync(`${source}/Packages.sig`)) {
      result.errors.push(`copy_file: ${source}/Packages.sig: No such file or directory.`);
      result.errors.push(`file_copy: Failed to copy file ${source}/Packages.sig to ${root}//${LISTS_DIR}/${feed.name}.sig.`);
      result.stdout.push('Signature file download failed.', 'Remove wrong Signature file.');
      rmSync(list);
      result.exitCode = 1;
      continue;
    }
    copyFileSync(`${source}/Packages.sig`, `${list}.sig`);
    const keysDir = join(root, 'etc/opkg/keys');
    const verdict = verifyWithKeyDir(readFileSync(list), readFileSync(`${list}.sig`, 'utf8'), keysDir, (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined));
    if (verdict.ok) {
      result.stdout.push('Signature check passed.');
    } else {
      result.stdout.push('Signature check failed.', 'Remove wrong Signature file.');
      rmSync(list);
      rmSync(`${list}.sig`);
    }
  }
  return {
    exitCode: result.exitCode,
    stdout: result.stdout.map((line) => `${line}\n`).join(''),
    stderr: result.errors.length ? `Collected errors:\n${result.errors.map((e) => ` * ${e}\n`).join('')}` : '',
  };
}

/** `opkg list`: `name - version - description` of every available package. */
export function listAvailable(root: string, feeds: readonly Feed[]): string {
  return availablePackages(root, feeds).map((p) => `${p.fields.get('Package')} - ${p.fields.get('Version')} - ${p.fields.get('Description')}\n`).join('');
}

/** Every package of every list that `update` kept. */
export function availablePackages(root: string, feeds: readonly Feed[]): FeedPackage[] {
  const listsDir = join(root, LISTS_DIR);
  const kept = existsSync(listsDir) ? readdirSync(listsDir) : [];
  return feeds.filter((feed) => kept.includes(feed.name)).flatMap((feed) =>
    parseIndex(readFileSync(join(listsDir, feed.name), 'utf8')).map((fields) => ({ feed, fields })),
  );
}

interface Installer {
  root: string;
  install(ipks: readonly string[], options: { auto?: ReadonlySet<string>; announced?: boolean }): FeedResult;
  isInstalled(name: string): boolean;
}

/**
 * `opkg install <name>` from the updated lists: the named package, then its missing dependencies
 * (Auto-Installed), each announced and "downloaded" (Size and SHA256sum checked), configured
 * dependencies first.
 */
export function installFromFeeds(opkg: Installer, feeds: readonly Feed[], names: readonly string[]): FeedResult {
  const available = availablePackages(opkg.root, feeds);
  const unknown = names.filter((name) => !available.some((p) => p.fields.get('Package') === name));
  if (unknown.length) {
    return {
      exitCode: 255,
      stdout: unknown.map((name) => `Unknown package '${name}'.\n`).join(''),
      stderr: `Collected errors:\n${unknown.map((name) => ` * opkg_install_cmd: Cannot install package ${name}.\n`).join('')}`,
    };
  }
  const plan: FeedPackage[] = [];
  const visit = (name: string) => {
    if (plan.some((p) => p.fields.get('Package') === name) || (opkg.isInstalled(name) && !names.includes(name))) return;
    const pkg = available.find((p) => p.fields.get('Package') === name);
    if (!pkg) return;
    plan.push(pkg);
    for (const dep of (pkg.fields.get('Depends') ?? '').split(',').map((d) => d.trim().split(/[\s(]/)[0]!).filter(Boolean)) visit(dep);
  };
  names.forEach(visit);
  const stdout: string[] = [];
  const files: string[] = [];
  for (const pkg of plan) {
    const filename = pkg.fields.get('Filename')!;
    stdout.push(`Installing ${pkg.fields.get('Package')} (${pkg.fields.get('Version')}) to root...`, `Downloading ${pkg.feed.url}/${filename}`);
    const path = `${feedPath(pkg.feed.url)}/${filename}`;
    const bytes = readFileSync(path);
    const sum = createHash('sha256').update(bytes).digest('hex');
    if (String(bytes.length) !== pkg.fields.get('Size') || sum !== pkg.fields.get('SHA256sum')) {
      return { exitCode: 255, stdout: stdout.map((l) => `${l}\n`).join(''), stderr: `Collected errors:\n * opkg_download_pkg: Package checksum mismatch for ${pkg.fields.get('Package')}.\n` };
    }
    files.push(path);
  }
  const auto = new Set(plan.map((p) => p.fields.get('Package')!).filter((name) => !names.includes(name)));
  const installed = opkg.install([...files].reverse(), { auto, announced: true });
  return { ...installed, stdout: stdout.map((l) => `${l}\n`).join('') + installed.stdout };
}
