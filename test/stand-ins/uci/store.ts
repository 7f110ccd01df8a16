// The file backend of libuci for the stand-in: config dir, save dir, delta search path, commit.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseUci } from '../../../src/lib/uci/parser.js';
import { renderConfigFile } from '../../../src/lib/uci/render.js';
import { validatePackageName } from '../../../src/lib/uci/tokenizer.js';
import { UciError } from '../../../src/lib/uci/types.js';
import type { UciPackage } from '../../../src/lib/uci/types.js';
import type { UciDelta } from '../../../src/lib/uci/model.js';
import { applyDelta, formatDelta, matchesFilter, readDeltaFile } from './delta.js';

export interface StoreOptions {
  confDir: string;
  /** libuci's default save dir (`/tmp/.uci`); the stand-in lets tests move it. */
  defaultSaveDir: string;
  strict: boolean;
  /** `-S`: print parse errors of skipped lines (without the `uci: ` prefix). */
  printParseErrors: boolean;
  stderr: (text: string) => void;
}

export interface LoadedPackage {
  pkg: UciPackage;
  /** Changes read from the delta files (what `uci changes` lists). */
  saved: UciDelta[];
  /** Changes made by this command, not yet saved. */
  pending: UciDelta[];
  /** Delta lines that applied cleanly. */
  appliedCount: number;
}

export class UciStore {
  saveDir: string;
  /** The delta search path; the save dir is always last. */
  readonly deltaPaths: string[];

  constructor(readonly options: StoreOptions) {
    this.saveDir = options.defaultSaveDir;
    this.deltaPaths = [options.defaultSaveDir];
  }

  /** `-t` / `-P`. */
  setSaveDir(dir: string): void {
    const at = this.deltaPaths.indexOf(dir);
    if (at >= 0) this.deltaPaths.splice(at, 1);
    this.deltaPaths.push(dir);
    this.saveDir = dir;
  }

  /** `-p`: inserted just before the save dir. */
  addDeltaPath(dir: string): void {
    if (this.deltaPaths.includes(dir)) throw new UciError('DUPLICATE');
    this.deltaPaths.splice(this.deltaPaths.length - 1, 0, dir);
  }

  listConfigs(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.options.confDir).sort();
    } catch {
      throw new UciError('NOTFOUND');
    }
    const files = names.filter((name) => !name.startsWith('.'));
    if (!files.length) throw new UciError('NOTFOUND');
    return files.filter((name) => {
      if (name.includes('.')) return false;
      try {
        if (statSync(join(this.options.confDir, name)).isDirectory()) return false;
      } catch {
        return false;
      }
      return validatePackageName(name);
    });
  }

  load(name: string): LoadedPackage {
    if (!validatePackageName(name)) throw new UciError('INVAL');
    const path = join(this.options.confDir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new UciError('NOTFOUND');
    }
    const result = parseUci(bytes, { name, strict: this.options.strict });
    if (this.options.printParseErrors) for (const error of result.errors) this.options.stderr(`${error.message}\n`);
    const loaded: LoadedPackage = { pkg: result.package, saved: [], pending: [], appliedCount: 0 };
    for (const dir of this.deltaPaths) {
      const file = join(dir, name);
      if (!existsSync(file)) continue;
      for (const { pkg, delta } of readDeltaFile(readFileSync(file))) {
        if (pkg !== name) continue;
        loaded.saved.push(delta);
        if (applyDelta(loaded.pkg, delta)) loaded.appliedCount++;
      }
    }
    return loaded;
  }

  /** `uci_save`: appends this command's changes to the save dir. */
  save(loaded: LoadedPackage): void {
    if (!loaded.pending.length) return;
    if (!existsSync(this.saveDir)) {
      try {
        mkdirSync(this.saveDir, { mode: existsSync(this.options.confDir) ? statSync(this.options.confDir).mode & 0o7777 : 0o700 });
      } catch {
        throw new UciError('IO');
      }
    }
    const text = loaded.pending.map((delta) => formatDelta(loaded.pkg.name, delta)).join('');
    try {
      appendFileSync(join(this.saveDir, loaded.pkg.name), text);
    } catch {
      throw new UciError('IO');
    }
    loaded.pending = [];
  }

  /** `uci_commit`: re-reads file + deltas, empties the save file, rewrites the config. */
  commit(name: string): void {
    const loaded = this.load(name);
    if (loaded.appliedCount === 0) return;
    const saveFile = join(this.saveDir, name);
    if (existsSync(saveFile)) writeFileSync(saveFile, '');
    const path = join(this.options.confDir, name);
    const temp = join(this.options.confDir, `.${name}.uci-${process.pid.toString(36)}${Date.now().toString(36)}`);
    writeFileSync(temp, renderConfigFile(loaded.pkg), { mode: statSync(path).mode & 0o7777 });
    renameSync(temp, path);
  }

  /** `uci_revert`: drops the matching lines of the save file. */
  revert(name: string, section?: string, option?: string): void {
    const file = join(this.saveDir, name);
    if (!existsSync(file)) return;
    const kept = readDeltaFile(readFileSync(file)).filter(({ delta }) => !matchesFilter(delta, section, option));
    writeFileSync(file, kept.map(({ pkg, delta }) => formatDelta(pkg, delta)).join(''));
  }
}
