/**
 * A stand-in for apk-tools 3.0.5 with `--root` (OpenWrt 25.12's package manager), checked against
 * ../shared/conformance/apk/install/: `add` from a signed packages.adb or a local .apk, `upgrade`,
 * `del`, `audit`. It verifies the index signature with the keys dir, the hash chain index -> ADB
 * block -> file data (our own verifier, tools/feed/apk/verify.ts), keeps user-edited files under
 * /etc on upgrade (new default as <file>.apk-new) and on removal, and runs the maintainer scripts
 * chrooted into the root. Not covered: triggers, scripts.tar.gz, conflicts, --force options.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UntrustedSignatureError, trustedKey, type TrustedKey } from '../../../tools/feed/apk/sign.js';
import { ApkIntegrityError, checkAgainstIndex, decodeApk, verifyIndex, type ApkPackageInfo, type DecodedApk } from '../../../tools/feed/apk/verify.js';
import { ApkDatabase, sameContent, type InstalledPackage } from './database.js';
import { runScript } from './scripts.js';
import { compareVersions, satisfies, splitDependency } from './version.js';

export interface ApkResult { exitCode: number; stdout: string; stderr: string }

export interface ApkOptions {
  /** Path of a packages.adb (the file, as OpenWrt's repository lines name it). */
  repository?: string;
  keysDir?: string;
  allowUntrusted?: boolean;
}

interface Candidate { info: ApkPackageInfo; load: () => Buffer; fromIndex: boolean; label: string }

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** apk's path rules without etc/apk/protected_paths.d: +etc, @etc/init.d (symlinks only), !etc/apk. */
export function isProtected(path: string): boolean {
  return path.startsWith('etc/') && !path.startsWith('etc/apk/') && !path.startsWith('etc/init.d/');
}

function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let size = bytes;
  let unit = 0;
  while (size >= 10000 && unit < units.length - 1) { size = Math.floor(size / 1024); unit++; }
  return `${size} ${units[unit]}`;
}

class Transcript {
  readonly out: string[] = [];
  readonly err: string[] = [];
  errors = 0;
  fail(message: string): void { this.err.push(message); this.errors++; }
  result(exitCode: number): ApkResult {
    return { exitCode, stdout: this.out.map((l) => `${l}\n`).join(''), stderr: this.err.map((l) => `${l}\n`).join('') };
  }
}

export class OfflineApk {
  readonly db: ApkDatabase;

  constructor(readonly root: string, private readonly defaults: ApkOptions = {}) {
    this.db = new ApkDatabase(root);
  }

  private keys(keysDir: string | undefined): TrustedKey[] {
    const dirs = [keysDir ?? join(this.root, 'etc/apk/keys')];
    return dirs.filter(existsSync).flatMap((dir) => readdirSync(dir).filter((f) => !f.startsWith('.')).map((f) => trustedKey(f, readFileSync(join(dir, f)))));
  }

  private repository(options: ApkOptions, log: Transcript): Candidate[] {
    const path = options.repository;
    if (!path) return [];
    const index = path.endsWith('.adb') ? path : join(path, 'x86_64/APKINDEX.tar.gz');
    if (!existsSync(index)) { log.err.push(`WARNING: opening ${index}: No such file or directory`); return []; }
    try {
      return verifyIndex(readFileSync(index), this.keys(options.keysDir), path).map((info) => ({
        info, fromIndex: true, label: `${info.name}-${info.version}`, load: () => readFileSync(join(dirname(index), `${info.name}-${info.version}.apk`)),
      }));
    } catch (error) {
      if (!(error instanceof UntrustedSignatureError || error instanceof ApkIntegrityError)) throw error;
      log.err.push(`WARNING: opening ${path}: ${error.message.replace(/^.*?: /, '').replace(/ \(.*\)$/, '')}`);
      return [];
    }
  }

  private provider(candidates: Candidate[], dependency: string): Candidate | undefined {
    const { name, operator, version } = splitDependency(dependency);
    const provides = (c: Candidate) => c.info.name === name || c.info.provides.some((p) => splitDependency(p).name === name);
    return candidates.filter((c) => provides(c) && satisfies(c.info.version, operator, version)).sort((a, b) => compareVersions(b.info.version, a.info.version))[0];
  }

  /** apk add: `targets` are package names (from the repository) or paths of .apk files. */
  add(targets: readonly string[], options: ApkOptions & { upgrade?: boolean } = {}): ApkResult {
    const opts = { ...this.defaults, ...options };
    const log = new Transcript();
    const candidates = this.repository(opts, log);
    const names: string[] = [];
    for (const target of targets) {
      if (!target.endsWith('.apk')) { names.push(target); continue; }
      if (!opts.allowUntrusted) { log.err.push(`ERROR: ${target}: UNTRUSTED signature`); return log.result(99); }
      const decoded = decodeApk(readFileSync(target), target);
      candidates.unshift({ info: decoded.info, fromIndex: false, label: target, load: () => readFileSync(target) });
      names.push(decoded.info.name);
    }
    return this.commit([...this.db.world(), ...names], candidates, log, opts.upgrade ?? false);
  }

  upgrade(options: ApkOptions = {}): ApkResult {
    const opts = { ...this.defaults, ...options };
    const log = new Transcript();
    return this.commit(this.db.world(), this.repository(opts, log), log, true);
  }

  /** Resolves `world` against installed + candidates, installs or upgrades what changed, writes the db. */
  private commit(world: string[], candidates: Candidate[], log: Transcript, upgrade: boolean): ApkResult {
    const installed = this.db.packages();
    const plan: Candidate[] = [];
    const missing: string[] = [];
    const provides = (p: { name: string; provides: readonly string[] }, name: string) => p.name === name || p.provides.some((x) => splitDependency(x).name === name);
    const visit = (dependency: string, requiredBy: string) => {
      const name = splitDependency(dependency).name;
      if (plan.some((c) => provides(c.info, name))) return;
      const current = installed.find((p) => provides(p, name));
      const best = this.provider(candidates, dependency);
      if (current && !(upgrade && best && compareVersions(best.info.version, current.version) > 0)) return;
      if (!best) { missing.push(`  ${dependency} (no such package):\n    required by: ${requiredBy}`); return; }
      for (const dep of best.info.depends) visit(dep, `${best.info.name}-${best.info.version}[${dep}]`);
      plan.push(best);
    };
    for (const name of world) visit(name, `world[${name}]`);
    if (missing.length) { log.err.push('ERROR: unable to select packages:', ...missing); return log.result(1); }
    const packages = [...installed];
    plan.forEach((candidate, i) => this.installOne(candidate, `(${i + 1}/${plan.length})`, packages, log));
    this.db.save(packages, world);
    return this.finish(packages, log);
  }

  private finish(packages: readonly InstalledPackage[], log: Transcript): ApkResult {
    const size = humanSize(packages.reduce((sum, p) => sum + p.installedSize, 0));
    log.out.push(`${log.errors ? `${log.errors} error${log.errors > 1 ? 's' : ''}; ` : 'OK: '}${size} in ${packages.length} packages`);
    return log.result(log.errors ? 1 : 0);
  }

  private installOne(candidate: Candidate, step: string, packages: InstalledPackage[], log: Transcript): void {
    const old = packages.find((p) => p.name === candidate.info.name);
    const { name, version } = candidate.info;
    log.out.push(old ? `${step} Upgrading ${name} (${old.version} -> ${version})` : `${step} Installing ${name} (${version})`);
    let decoded: DecodedApk;
    const bytes = candidate.load();
    try {
      decoded = decodeApk(bytes, candidate.label);
      if (candidate.fromIndex) checkAgainstIndex(decoded, candidate.info);
    } catch (error) {
      if (!(error instanceof ApkIntegrityError)) throw error;
      log.fail(`ERROR: ${error.message.replace(/ \(.*\)$/, '')}`);
      return;
    }
    const entry = this.writeFiles(decoded, old, log);
    entry.checksum = ApkDatabase.checksum(candidate.info.hashes && candidate.fromIndex ? candidate.info.hashes : createHash('sha256').update(decoded.adb).digest());
    entry.fileSize = bytes.length;
    packages.splice(old ? packages.indexOf(old) : packages.length, old ? 1 : 0, entry);
    this.keepPreDeinstall(entry, decoded.scripts['pre-deinstall'], old);
    const type = old ? 'post-upgrade' : 'post-install';
    const script = decoded.scripts[type];
    if (script) {
      log.out.push(`  Executing ${name}-${version}.${type}`);
      const run = runScript(this.root, { name, version }, type, script, old ? [version, old.version] : [version]);
      log.err.push(...run.stderr.filter((l) => process.env.APK_STANDIN_DEBUG || l.startsWith('ERROR') || l.startsWith('  *')));
      if (!run.ok) log.errors++;
    }
  }

  private writeFiles(decoded: DecodedApk, old: InstalledPackage | undefined, log: Transcript): InstalledPackage {
    const newPaths = new Set(decoded.files.map((f) => f.path.slice(1)));
    for (const dir of decoded.directories) mkdirSync(join(this.root, dir.path), { recursive: true });
    for (const file of decoded.files) {
      const path = file.path.slice(1);
      const target = join(this.root, path);
      const recorded = old?.files.find((f) => f.path === path);
      const current = existsSync(target) ? sha256(readFileSync(target)) : undefined;
      const edited = current !== undefined && current !== file.sha256.toString('hex') && !(recorded && sameContent(recorded.sha256, current));
      const destination = isProtected(path) && edited ? `${target}.apk-new` : target;
      if (destination !== target) log.out.push(`  Installing file to ${path}.apk-new`);
      writeFileSync(destination, file.content);
      chmodSync(destination, file.mode);
    }
    for (const stale of old?.files.filter((f) => !newPaths.has(f.path)) ?? []) this.removeFile(stale.path, stale.sha256);
    const { info } = decoded;
    return {
      checksum: '', name: info.name, version: info.version, arch: info.arch ?? '', fileSize: 0, installedSize: info.installedSize,
      description: info.description ?? '', url: info.url ?? '', license: info.license ?? '', origin: info.origin, maintainer: info.maintainer,
      depends: info.depends, provides: info.provides,
      directories: decoded.directories.map((d) => d.path.slice(1)).filter(Boolean),
      files: decoded.files.map((f) => ({ path: f.path.slice(1), mode: f.mode, sha256: f.sha256.toString('hex') })),
    };
  }

  /** Removes a package file; an edited protected file stays, its .apk-new goes. */
  private removeFile(path: string, recorded: string): void {
    const target = join(this.root, path);
    rmSync(`${target}.apk-new`, { force: true });
    if (!existsSync(target)) return;
    if (isProtected(path) && !sameContent(recorded, sha256(readFileSync(target)))) return;
    rmSync(target);
  }

  private removeEmptyDirs(dirs: readonly string[]): void {
    for (const dir of [...dirs].sort().reverse()) {
      const full = join(this.root, dir);
      if (existsSync(full) && readdirSync(full).length === 0) rmdirSync(full);
    }
  }

  /** apk del: drops `names` from world and purges every package nothing needs any more. */
  del(names: readonly string[]): ApkResult {
    const log = new Transcript();
    const world = this.db.world().filter((name) => !names.includes(name));
    const packages = this.db.packages();
    const needed = new Set<string>();
    const need = (dependency: string) => {
      const pkg = packages.find((p) => p.name === splitDependency(dependency).name || p.provides.some((x) => splitDependency(x).name === splitDependency(dependency).name));
      if (!pkg || needed.has(pkg.name)) return;
      needed.add(pkg.name);
      pkg.depends.forEach(need);
    };
    world.forEach(need);
    const purge = packages.filter((p) => !needed.has(p.name)).sort((a, b) => Number(!names.includes(a.name)) - Number(!names.includes(b.name)));
    purge.forEach((pkg, i) => {
      log.out.push(`(${i + 1}/${purge.length}) Purging ${pkg.name} (${pkg.version})`);
      this.runPreDeinstall(pkg, log);
      for (const file of pkg.files) this.removeFile(file.path, file.sha256);
      this.removeEmptyDirs(pkg.directories);
    });
    const kept = packages.filter((p) => needed.has(p.name));
    this.db.save(kept, world);
    return this.finish(kept, log);
  }

  private savedScript(pkg: { name: string; version: string }): string {
    return join(this.root, 'lib/apk/db/.scripts', `${pkg.name}-${pkg.version}.pre-deinstall`);
  }

  private keepPreDeinstall(pkg: InstalledPackage, text: string | undefined, old: InstalledPackage | undefined): void {
    if (old) rmSync(this.savedScript(old), { force: true });
    if (text === undefined) return;
    mkdirSync(dirname(this.savedScript(pkg)), { recursive: true });
    writeFileSync(this.savedScript(pkg), text);
  }

  /** The installed pre-deinstall script is kept beside the database by name (scripts.tar.gz in apk). */
  private runPreDeinstall(pkg: InstalledPackage, log: Transcript): void {
    const saved = this.savedScript(pkg);
    if (!existsSync(saved)) return;
    log.out.push(`  Executing ${pkg.name}-${pkg.version}.pre-deinstall`);
    const run = runScript(this.root, pkg, 'pre-deinstall', readFileSync(saved, 'utf8'), [pkg.version]);
    if (!run.ok) log.fail(run.stderr.at(-1) ?? 'pre-deinstall failed');
    rmSync(saved);
  }

  /** apk audit (default mode): `U path` for a protected file whose content differs from the package's. */
  audit(): ApkResult {
    const log = new Transcript();
    for (const pkg of this.db.packages()) {
      for (const file of pkg.files.filter((f) => isProtected(f.path))) {
        const target = join(this.root, file.path);
        if (existsSync(target) && !sameContent(file.sha256, sha256(readFileSync(target)))) log.out.push(`U ${file.path}`);
      }
    }
    return log.result(0);
  }
}
