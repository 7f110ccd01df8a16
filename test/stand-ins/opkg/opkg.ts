/**
 * A small stand-in for `opkg -o <root> install|remove` into an OFFLINE root (opkg-lede 38eccbb as
 * captured in ../shared/conformance/opkg/A_offline_install.json): it unpacks with the system tar,
 * writes usr/lib/opkg/status and info/<pkg>.{control,list,conffiles,<scripts>}, replaces a conffile
 * the admin left as the old package shipped it and keeps an edited one (new version as <file>-opkg),
 * refuses missing dependencies, file clashes and removing a package others depend on. Maintainer
 * scripts are not run, as opkg does not in an offline root. Feeds (update, list, install by name):
 * feeds.ts.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface OpkgResult { exitCode: number; stdout: string; stderr: string }

type Stanza = Map<string, string>;

const STATUS_FIELDS = ['Package', 'Version', 'Depends', 'Status', 'Architecture', 'Conffiles', 'Installed-Time', 'Auto-Installed'];
/** Control files opkg copies to info/<pkg>.<name> besides control and conffiles. */
const SCRIPTS = ['preinst', 'postinst', 'prerm', 'postrm', 'postinst-pkg', 'prerm-pkg'];

function parseStanzas(text: string): Stanza[] {
  return text.split(/\n\n+/).filter((block) => block.trim()).map((block) => {
    const stanza: Stanza = new Map();
    let last = '';
    for (const line of block.split('\n')) {
      if (/^\s/.test(line) && last) stanza.set(last, `${stanza.get(last)}\n${line}`);
      else {
        const colon = line.indexOf(':');
        last = line.slice(0, colon);
        stanza.set(last, line.slice(colon + 1).trim());
      }
    }
    return stanza;
  });
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const dependencyNames = (depends: string | undefined) =>
  (depends ?? '').split(',').map((d) => d.trim().split(/[\s(]/)[0]!).filter(Boolean);

/** path -> sha256 of the Conffiles field of a status stanza. */
function conffileSums(entry: Stanza | undefined): Map<string, string> {
  const lines = (entry?.get('Conffiles') ?? '').split('\n').map((l) => l.trim().split(' ')).filter((p) => p.length === 2);
  return new Map(lines.map(([path, sum]) => [path!, sum!]));
}

interface Unpacked { control: Stanza; controlText: string; dir: string; files: string[]; conffiles: string[] }

export class OfflineOpkg {
  private readonly infoDir: string;
  private readonly statusPath: string;

  constructor(readonly root: string, private readonly arches: readonly string[] = ['all', 'noarch', 'x86_64']) {
    this.infoDir = join(root, 'usr/lib/opkg/info');
    this.statusPath = join(root, 'usr/lib/opkg/status');
  }

  isInstalled(name: string): boolean {
    return this.status().some((s) => s.get('Package') === name);
  }

  status(): Stanza[] {
    return existsSync(this.statusPath) ? parseStanzas(readFileSync(this.statusPath, 'utf8')) : [];
  }

  /**
   * `opkg install <file.ipk>...`. `auto`: packages pulled in as dependencies (status `install ok
   * installed`, Auto-Installed); `announced`: the caller already printed the Installing lines.
   */
  install(ipks: readonly string[], options: { auto?: ReadonlySet<string>; announced?: boolean } = {}): OpkgResult {
    const auto = options.auto ?? new Set<string>();
    const out: string[] = [];
    const errors: string[] = [];
    if (!existsSync(join(this.root, 'var/lock'))) {
      return { exitCode: 255, stdout: '', stderr: `Collected errors:\n * opkg_conf_load: Could not create lock file ${this.root}/var/lock/opkg.lock: No such file or directory.\n` };
    }
    const work = mkdtempSync(join(tmpdir(), 'opkg-standin-'));
    try {
      const batch: Unpacked[] = [];
      for (const ipk of ipks) {
        const unpacked = this.unpack(ipk, join(work, String(batch.length)));
        if (!unpacked) { errors.push(`pkg_init_from_file: Malformed package file ${ipk}.`); continue; }
        const arch = unpacked.control.get('Architecture');
        if (!arch || !this.arches.includes(arch)) {
          errors.push(`pkg_hash_fetch_best_installation_candidate: Packages for ${unpacked.control.get('Package')} found, but incompatible with the architectures configured`);
          continue;
        }
        batch.push(unpacked);
      }
      const status = this.status();
      const known = new Set([...status.map((s) => s.get('Package')!), ...batch.map((u) => u.control.get('Package')!)]);
      for (const unpacked of batch) {
        const name = unpacked.control.get('Package')!;
        for (const dep of dependencyNames(unpacked.control.get('Depends'))) {
          if (!known.has(dep)) errors.push(`satisfy_dependencies_for: Cannot satisfy the following dependencies for ${name}:\n * \t${dep}`);
        }
      }
      if (errors.length) return { exitCode: 255, stdout: '', stderr: `Collected errors:\n${errors.map((e) => ` * ${e}\n`).join('')}` };
      try {
        const configured = batch.filter((unpacked) => this.installOne(unpacked, { out, errors }, { autoInstalled: auto.has(unpacked.control.get('Package')!), announced: options.announced ?? false }));
        for (const unpacked of configured) out.push(`Configuring ${unpacked.control.get('Package')}.`);
      } catch (error) {
        return { exitCode: 255, stdout: out.map((l) => `${l}\n`).join(''), stderr: `Collected errors:\n * ${(error as Error).message}\n` };
      }
      return { exitCode: 0, stdout: out.map((l) => `${l}\n`).join(''), stderr: errors.length ? `Collected errors:\n${errors.map((e) => ` * ${e}\n`).join('')}` : '' };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  remove(name: string): OpkgResult {
    const status = this.status();
    const entry = status.find((s) => s.get('Package') === name);
    if (!entry) return { exitCode: 0, stdout: 'No packages removed.\n', stderr: '' };
    const dependents = status.filter((s) => dependencyNames(s.get('Depends')).includes(name)).map((s) => s.get('Package')!);
    if (dependents.length) {
      return {
        exitCode: 255,
        stdout: 'No packages removed.\n',
        stderr: `Collected errors:\n * print_dependents_warning: Package ${name} is depended upon by packages:\n${dependents.map((d) => ` * print_dependents_warning: \t${d}\n`).join('')}`,
      };
    }
    const out = [`Removing package ${name} from root...`];
    const sums = conffileSums(entry);
    for (const path of readFileSync(join(this.infoDir, `${name}.list`), 'utf8').split('\n').filter(Boolean)) {
      const target = join(this.root, path);
      if (!existsSync(target)) continue;
      if (sums.has(path) && sha256(target) !== sums.get(path)) {
        out.push(`Not deleting modified conffile ${this.root}${path}.`);
        continue;
      }
      unlinkSync(target);
    }
    for (const file of readdirSync(this.infoDir).filter((f) => f.startsWith(`${name}.`))) rmSync(join(this.infoDir, file));
    this.writeStatus(status.filter((s) => s !== entry));
    return { exitCode: 0, stdout: out.map((l) => `${l}\n`).join(''), stderr: '' };
  }

  private unpack(ipk: string, dir: string): Unpacked | undefined {
    try {
      mkdirSync(join(dir, 'control'), { recursive: true });
      mkdirSync(join(dir, 'data'), { recursive: true });
      execFileSync('tar', ['-xzf', ipk, '-C', dir], { stdio: 'pipe' });
      execFileSync('tar', ['-xzf', join(dir, 'control.tar.gz'), '-C', join(dir, 'control')], { stdio: 'pipe' });
      const listing = execFileSync('tar', ['-tzf', join(dir, 'data.tar.gz')], { encoding: 'utf8' });
      execFileSync('tar', ['-xpzf', join(dir, 'data.tar.gz'), '-C', join(dir, 'data')], { stdio: 'pipe' });
      const controlText = readFileSync(join(dir, 'control', 'control'), 'utf8');
      const conffilesPath = join(dir, 'control', 'conffiles');
      return {
        control: parseStanzas(controlText)[0]!,
        controlText,
        dir,
        files: listing.split('\n').filter((p) => p && !p.endsWith('/')).map((p) => p.replace(/^\./, '')).sort(),
        conffiles: existsSync(conffilesPath) ? readFileSync(conffilesPath, 'utf8').split('\n').filter(Boolean) : [],
      };
    } catch {
      return undefined;
    }
  }

  /** False when the same version is already installed. */
  private installOne(unpacked: Unpacked, log: { out: string[]; errors: string[] }, how: { autoInstalled: boolean; announced: boolean }): boolean {
    const { out, errors } = log;
    const { autoInstalled, announced } = how;
    const name = unpacked.control.get('Package')!;
    const version = unpacked.control.get('Version') ?? '(null)';
    let status = this.status();
    const previous = status.find((s) => s.get('Package') === name);
    if (previous?.get('Version') === version) {
      out.push(`Package ${name} (${version}) installed in root is up to date.`);
      return false;
    }
    if (!announced) out.push(`Installing ${name} (${version}) to root...`);
    for (const path of unpacked.files) {
      const owner = status.find((s) => s !== previous && this.listOf(s.get('Package')!).includes(path));
      if (owner) throw new Error(`check_data_file_clashes: Package ${name} wants to install file ${this.root}${path}\n\tBut that file is already provided by package  * ${owner.get('Package')}`);
    }
    const conffileLines: string[] = [];
    const recorded = conffileSums(previous);
    for (const path of unpacked.files) {
      const source = join(unpacked.dir, 'data', path);
      let target = join(this.root, path);
      mkdirSync(dirname(target), { recursive: true });
      if (unpacked.conffiles.includes(path)) {
        conffileLines.push(` ${path} ${sha256(source)}`);
        // conffile_has_been_modified: an unedited file (still the checksum the old package recorded)
        // is replaced; an edited one stays and the new one goes to <file>-opkg.
        const current = existsSync(target) ? sha256(target) : undefined;
        if (current !== undefined && current !== sha256(source) && current !== recorded.get(path)) {
          errors.push(`resolve_conffiles: Existing conffile ${this.root}${path} is different from the conffile in the new package. The new conffile will be placed at ${this.root}${path}-opkg.`);
          target = `${target}-opkg`;
        }
      }
      copyFileSync(source, target);
      chmodSync(target, statSync(source).mode & 0o7777);
    }
    mkdirSync(this.infoDir, { recursive: true });
    writeFileSync(join(this.infoDir, `${name}.control`), unpacked.controlText);
    writeFileSync(join(this.infoDir, `${name}.list`), unpacked.files.map((p) => `${p}\n`).join(''));
    if (unpacked.conffiles.length) writeFileSync(join(this.infoDir, `${name}.conffiles`), unpacked.conffiles.map((p) => `${p}\n`).join(''));
    for (const script of SCRIPTS) {
      const source = join(unpacked.dir, 'control', script);
      if (existsSync(source)) {
        copyFileSync(source, join(this.infoDir, `${name}.${script}`));
        chmodSync(join(this.infoDir, `${name}.${script}`), 0o755);
      }
    }
    const stanza: Stanza = new Map([
      ['Package', name],
      ['Version', version],
      ...(unpacked.control.get('Depends') ? [['Depends', unpacked.control.get('Depends')!] as [string, string]] : []),
      ['Status', autoInstalled ? 'install ok installed' : 'install user installed'],
      ['Architecture', unpacked.control.get('Architecture')!],
      ...(conffileLines.length ? [['Conffiles', `\n${conffileLines.join('\n')}`] as [string, string]] : []),
      ['Installed-Time', String(Math.floor(Date.now() / 1000))],
      ...(autoInstalled ? [['Auto-Installed', 'yes'] as [string, string]] : []),
    ]);
    status = status.filter((s) => s !== previous);
    this.writeStatus([...status, stanza]);
    return true;
  }

  private listOf(name: string): string[] {
    const path = join(this.infoDir, `${name}.list`);
    return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
  }

  private writeStatus(stanzas: Stanza[]): void {
    mkdirSync(dirname(this.statusPath), { recursive: true });
    const text = stanzas.map((stanza) => {
      const lines = STATUS_FIELDS.filter((f) => stanza.has(f)).map((f) => (f === 'Conffiles' ? `Conffiles:${stanza.get(f)!.replace(/^\n?/, '\n')}` : `${f}: ${stanza.get(f)}`));
      return `${lines.join('\n')}\n\n`;
    }).join('');
    writeFileSync(this.statusPath, text);
  }
}
