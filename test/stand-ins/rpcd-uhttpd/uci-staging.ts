import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addList, addSection, allocSection, deleteEntry, delList, parsePtr, rename, reorder, resolve, setValue,
  type Resolved, type UciDelta,
} from '../../../src/lib/uci/model.js';
import { parseUciPackage } from '../../../src/lib/uci/parser.js';
import { renderConfigFile } from '../../../src/lib/uci/render.js';
import { findSection, type UciPackage } from '../../../src/lib/uci/types.js';

/** The change tuples rpcd's `uci changes` answers (`[op, section, option?, value?]`). */
export type ChangeTuple = string[];

const CHANGE_OP: Record<UciDelta['cmd'], string> = {
  add: 'add', change: 'set', remove: 'remove', list_add: 'list-add', list_del: 'list-del', rename: 'rename', reorder: 'order',
};

export function toChangeTuple(delta: UciDelta): ChangeTuple {
  const tuple = [CHANGE_OP[delta.cmd], delta.section];
  if (delta.option !== undefined) tuple.push(delta.option);
  if (delta.value !== undefined) tuple.push(delta.value);
  return tuple;
}

/** A config dir (`/etc/config`) plus per-session staged deltas, as rpcd keeps them in `/var/run/rpcd/uci-<sid>/`. */
export class UciStaging {
  private readonly staged = new Map<string, Map<string, UciDelta[]>>();

  constructor(readonly configDir: string) {}

  configs(): string[] {
    return readdirSync(this.configDir).filter((name) => /^[A-Za-z0-9_-]+$/.test(name)).sort();
  }

  exists(config: string): boolean {
    return /^[A-Za-z0-9_-]+$/.test(config) && existsSync(join(this.configDir, config));
  }

  readFile(config: string): string {
    return readFileSync(join(this.configDir, config), 'utf8');
  }

  /** Writes the whole file atomically and keeps its mode, like libuci's commit (chmod to the old mode, rename). */
  writeFile(config: string, text: string): void {
    const path = join(this.configDir, config);
    writeFileSync(`${path}.tmp`, text);
    if (existsSync(path)) chmodSync(`${path}.tmp`, statSync(path).mode & 0o7777);
    renameSync(`${path}.tmp`, path);
  }

  committed(config: string): UciPackage {
    return parseUciPackage(readFileSync(join(this.configDir, config)), config);
  }

  deltas(sid: string, config: string): UciDelta[] {
    return this.staged.get(sid)?.get(config) ?? [];
  }

  changedConfigs(sid: string): string[] {
    return [...(this.staged.get(sid)?.entries() ?? [])].filter(([, list]) => list.length).map(([name]) => name).sort();
  }

  setDeltas(sid: string, config: string, deltas: UciDelta[]): void {
    let perSession = this.staged.get(sid);
    if (!perSession) this.staged.set(sid, (perSession = new Map()));
    if (deltas.length) perSession.set(config, deltas);
    else perSession.delete(config);
  }

  /** The committed file with the session's deltas replayed on top (what `get` shows). */
  view(sid: string, config: string): UciPackage {
    const pkg = this.committed(config);
    for (const delta of this.deltas(sid, config)) replay(pkg, delta);
    return pkg;
  }

  /** Runs `mutate` on the session's view and appends the deltas it records. */
  mutate<T>(sid: string, config: string, mutate: (pkg: UciPackage, deltas: UciDelta[]) => T): T {
    const pkg = this.view(sid, config);
    const recorded: UciDelta[] = [];
    const result = mutate(pkg, recorded);
    if (recorded.length) this.setDeltas(sid, config, [...this.deltas(sid, config), ...recorded]);
    return result;
  }

  /** Writes the session's view of the config to disk and drops its deltas. */
  commit(sid: string, config: string): void {
    if (!this.deltas(sid, config).length) return;
    this.writeFile(config, renderConfigFile(this.view(sid, config)));
    this.setDeltas(sid, config, []);
  }

  revert(sid: string, config: string): void {
    this.setDeltas(sid, config, []);
  }
}

export function target(pkg: UciPackage, section: string, option?: string, value?: string): Resolved {
  const ptr = parsePtr(`${pkg.name}.${section}${option !== undefined ? `.${option}` : ''}`);
  ptr.value = value;
  return resolve(pkg, ptr);
}

function replay(pkg: UciPackage, delta: UciDelta): void {
  try {
    switch (delta.cmd) {
      case 'add': {
        if (findSection(pkg, delta.section)) return;
        const section = allocSection(pkg, delta.value ?? '', delta.section);
        section.anonymous = true;
        return;
      }
      case 'change': return setValue(pkg, target(pkg, delta.section, delta.option, delta.value));
      case 'list_add': return addList(pkg, target(pkg, delta.section, delta.option, delta.value));
      case 'list_del': return delList(pkg, target(pkg, delta.section, delta.option, delta.value));
      case 'remove': return deleteEntry(pkg, target(pkg, delta.section, delta.option, delta.value));
      case 'rename': return rename(pkg, target(pkg, delta.section, delta.option, delta.value));
      case 'reorder': {
        const section = findSection(pkg, delta.section);
        if (section) reorder(pkg, section, Number(delta.value));
        return;
      }
    }
  } catch {
    // libuci skips a delta line that no longer applies to the file.
  }
}

export { addSection };
