import { UciError, findSection, type UciPackage, type UciSection } from '../../../src/lib/uci/types.js';
import type { UciDelta } from '../../../src/lib/uci/model.js';
import { addList, addSection, deleteEntry, rename, reorder, setValue } from '../../../src/lib/uci/model.js';
import type { CallResult, JsonRpcArgType, RpcObject } from './objects.js';
import type { Session, SessionStore } from './sessions.js';
import { target, toChangeTuple, type UciStaging } from './uci-staging.js';

const S = 'string';
const R = { ubus_rpc_session: S } as const;
const SIGNATURE: Record<string, Record<string, JsonRpcArgType>> = {
  configs: {},
  get: { config: S, section: S, option: S, type: S, match: 'object', ...R },
  state: { config: S, section: S, option: S, type: S, match: 'object', ...R },
  add: { config: S, type: S, name: S, values: 'object', ...R },
  set: { config: S, section: S, type: S, match: 'object', values: 'object', ...R },
  delete: { config: S, section: S, type: S, match: 'object', option: S, options: 'array', ...R },
  rename: { config: S, section: S, option: S, name: S, ...R },
  order: { config: S, sections: 'array', ...R },
  changes: { config: S, ...R },
  revert: { config: S, ...R },
  commit: { config: S, ...R },
  apply: { rollback: 'boolean', timeout: 'number', ...R },
  confirm: { ...R },
  rollback: { ...R },
  reload_config: {},
};

const st = (status: number, data?: Record<string, unknown>): CallResult => (data ? { status, data } : { status });
const OK = st(0);
const INVALID_ARGUMENT = st(2);
const NOT_FOUND = st(4);
const NO_DATA = st(5);
const PERMISSION_DENIED = st(6);

export interface UciObjectOptions {
  staging: UciStaging;
  sessions: SessionStore;
  /** rpcd runs `reload_config` after apply and after a rollback; the demo reloads its services here. */
  onReload?(configs: string[]): void;
  /** Minimum rollback timeout in seconds (rpcd: 1). */
  minTimeoutS?: number;
}

interface PendingRollback {
  sid: string;
  timer: NodeJS.Timeout;
  /** File text before apply, and the deltas that apply committed, per config. */
  snapshot: Map<string, { text: string; deltas: UciDelta[] }>;
}

/** rpcd's `uci` object (rpcd/uci.c) over a config dir, with per-session staging and apply/rollback/confirm. */
export class UciObject implements RpcObject {
  private pending: PendingRollback | undefined;

  constructor(private readonly options: UciObjectOptions) {}

  signature(): Record<string, Record<string, JsonRpcArgType>> {
    return SIGNATURE;
  }

  get rollbackPending(): boolean {
    return this.pending !== undefined;
  }

  async call(method: string, args: Record<string, unknown>, session: Session): Promise<CallResult> {
    try {
      return this.dispatch(method, args, session);
    } catch (error) {
      if (error instanceof UciError) return error.code === 'NOTFOUND' ? NOT_FOUND : INVALID_ARGUMENT;
      throw error;
    }
  }

  /** Stops a pending rollback timer (shutdown). */
  close(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }

  private dispatch(method: string, args: Record<string, unknown>, session: Session): CallResult {
    const sid = session.id;
    switch (method) {
      case 'configs': return st(0, { configs: this.options.staging.configs() });
      case 'get': case 'state': return this.withConfig(args, session, 'read', (config) => this.get(sid, config, args));
      case 'set': return this.withConfig(args, session, 'write', (config) => this.set(sid, config, args));
      case 'add': return this.withConfig(args, session, 'write', (config) => this.add(sid, config, args));
      case 'delete': return this.withConfig(args, session, 'write', (config) => this.delete(sid, config, args));
      case 'rename': return this.withConfig(args, session, 'write', (config) => this.rename(sid, config, args));
      case 'order': return this.withConfig(args, session, 'write', (config) => this.order(sid, config, args));
      case 'changes': return this.changes(session, args);
      case 'revert': return this.withConfig(args, session, 'write', (config) => { this.options.staging.revert(sid, config); return OK; });
      case 'commit': return this.withConfig(args, session, 'write', (config) => {
        if (this.pending) return PERMISSION_DENIED;
        this.options.staging.commit(sid, config);
        return OK;
      });
      case 'apply': return this.apply(session, args);
      case 'confirm': return this.confirm(sid);
      case 'rollback': return this.rollbackNow(sid);
      case 'reload_config': this.options.onReload?.(this.options.staging.configs()); return OK;
      default: return st(3);
    }
  }

  private withConfig(args: Record<string, unknown>, session: Session, perm: 'read' | 'write', run: (config: string) => CallResult): CallResult {
    const config = args.config;
    if (typeof config !== 'string' || !config) return INVALID_ARGUMENT;
    if (!this.options.sessions.allowed(session, 'uci', config, perm)) return PERMISSION_DENIED;
    if (!this.options.staging.exists(config)) return NOT_FOUND;
    return run(config);
  }

  private get(sid: string, config: string, args: Record<string, unknown>): CallResult {
    const pkg = this.options.staging.view(sid, config);
    if (typeof args.section === 'string') {
      const section = target(pkg, args.section).section;
      if (!section) return NOT_FOUND;
      if (typeof args.option === 'string') {
        const value = section.options.get(args.option);
        return value === undefined ? OK : st(0, { value });
      }
      return st(0, { values: sectionValues(section) });
    }
    const values: Record<string, unknown> = {};
    pkg.sections.forEach((section, index) => {
      if (typeof args.type === 'string' && section.type !== args.type) return;
      if (!matches(section, args.match)) return;
      values[section.name] = sectionValues(section, index);
    });
    return st(0, { values });
  }

  private set(sid: string, config: string, args: Record<string, unknown>): CallResult {
    const values = args.values;
    if (typeof values !== 'object' || values === null || Array.isArray(values)) return INVALID_ARGUMENT;
    return this.options.staging.mutate(sid, config, (pkg, deltas) => {
      const sections = this.selectSections(pkg, args);
      if (!sections.length) return NOT_FOUND;
      for (const section of sections) writeValues(pkg, section.name, values as Record<string, unknown>, deltas);
      return OK;
    });
  }

  private add(sid: string, config: string, args: Record<string, unknown>): CallResult {
    if (typeof args.type !== 'string' || !args.type) return INVALID_ARGUMENT;
    const type = args.type;
    return this.options.staging.mutate(sid, config, (pkg, deltas) => {
      let name: string;
      if (typeof args.name === 'string' && args.name) {
        if (findSection(pkg, args.name)) return st(0, { section: args.name });
        setValue(pkg, target(pkg, args.name, undefined, type), deltas);
        name = args.name;
      } else {
        name = addSection(pkg, type, deltas).name;
      }
      if (typeof args.values === 'object' && args.values !== null) writeValues(pkg, name, args.values as Record<string, unknown>, deltas);
      return st(0, { section: name });
    });
  }

  private delete(sid: string, config: string, args: Record<string, unknown>): CallResult {
    return this.options.staging.mutate(sid, config, (pkg, deltas) => {
      const sections = this.selectSections(pkg, args);
      if (!sections.length) return NOT_FOUND;
      for (const section of sections) {
        const options = typeof args.option === 'string' ? [args.option] : Array.isArray(args.options) ? args.options.map(String) : undefined;
        if (!options) { deleteEntry(pkg, target(pkg, section.name), deltas); continue; }
        for (const option of options) {
          const where = target(pkg, section.name, option);
          if (where.complete) deleteEntry(pkg, where, deltas);
        }
      }
      return OK;
    });
  }

  private rename(sid: string, config: string, args: Record<string, unknown>): CallResult {
    if (typeof args.section !== 'string' || typeof args.name !== 'string') return INVALID_ARGUMENT;
    const option = typeof args.option === 'string' ? args.option : undefined;
    return this.options.staging.mutate(sid, config, (pkg, deltas) => {
      rename(pkg, target(pkg, args.section as string, option, args.name as string), deltas);
      return OK;
    });
  }

  private order(sid: string, config: string, args: Record<string, unknown>): CallResult {
    if (!Array.isArray(args.sections)) return INVALID_ARGUMENT;
    return this.options.staging.mutate(sid, config, (pkg, deltas) => {
      (args.sections as unknown[]).forEach((name, position) => {
        const section = findSection(pkg, String(name));
        if (section) reorder(pkg, section, position, deltas);
      });
      return OK;
    });
  }

  private changes(session: Session, args: Record<string, unknown>): CallResult {
    const { staging, sessions } = this.options;
    if (typeof args.config === 'string') {
      if (!sessions.allowed(session, 'uci', args.config, 'read')) return PERMISSION_DENIED;
      return st(0, { changes: staging.deltas(session.id, args.config).map(toChangeTuple) });
    }
    const all: Record<string, unknown> = {};
    for (const config of staging.changedConfigs(session.id)) {
      if (sessions.allowed(session, 'uci', config, 'read')) all[config] = staging.deltas(session.id, config).map(toChangeTuple);
    }
    return st(0, { changes: all });
  }

  private apply(session: Session, args: Record<string, unknown>): CallResult {
    const { staging, sessions } = this.options;
    if (this.pending) return PERMISSION_DENIED;
    const configs = staging.changedConfigs(session.id).filter((config) => sessions.allowed(session, 'uci', config, 'write'));
    const snapshot = new Map<string, { text: string; deltas: UciDelta[] }>();
    for (const config of configs) {
      snapshot.set(config, { text: staging.readFile(config), deltas: staging.deltas(session.id, config) });
      staging.commit(session.id, config);
    }
    if (args.rollback === true) {
      const timeoutS = Math.max(this.options.minTimeoutS ?? 1, typeof args.timeout === 'number' ? args.timeout : 30);
      const timer = setTimeout(() => this.doRollback(), timeoutS * 1000);
      timer.unref();
      this.pending = { sid: session.id, timer, snapshot };
    }
    this.options.onReload?.(configs);
    return OK;
  }

  private confirm(sid: string): CallResult {
    if (!this.pending) return NO_DATA;
    if (this.pending.sid !== sid) return PERMISSION_DENIED;
    clearTimeout(this.pending.timer);
    this.pending = undefined;
    return OK;
  }

  private rollbackNow(sid: string): CallResult {
    if (!this.pending) return NO_DATA;
    if (this.pending.sid !== sid) return PERMISSION_DENIED;
    clearTimeout(this.pending.timer);
    this.doRollback();
    return OK;
  }

  /** Restores the files and puts the committed changes back into the session's staging area. */
  private doRollback(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    const { staging } = this.options;
    for (const [config, saved] of pending.snapshot) {
      staging.writeFile(config, saved.text);
      staging.setDeltas(pending.sid, config, [...saved.deltas, ...staging.deltas(pending.sid, config)]);
    }
    this.options.onReload?.([...pending.snapshot.keys()]);
  }

  private selectSections(pkg: UciPackage, args: Record<string, unknown>): UciSection[] {
    if (typeof args.section === 'string') {
      const section = target(pkg, args.section).section;
      return section ? [section] : [];
    }
    if (typeof args.type !== 'string' && args.match === undefined) return [];
    return pkg.sections.filter((section) => (typeof args.type !== 'string' || section.type === args.type) && matches(section, args.match));
  }
}

function sectionValues(section: UciSection, index?: number): Record<string, unknown> {
  const values: Record<string, unknown> = { '.anonymous': section.anonymous, '.type': section.type, '.name': section.name };
  if (index !== undefined) values['.index'] = index;
  for (const [name, value] of section.options) values[name] = Array.isArray(value) ? [...value] : value;
  return values;
}

function matches(section: UciSection, match: unknown): boolean {
  if (typeof match !== 'object' || match === null) return true;
  return Object.entries(match as Record<string, unknown>).every(([key, want]) => {
    const have = section.options.get(key);
    return Array.isArray(have) ? have.includes(String(want)) : have === String(want);
  });
}

function uciString(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** rpcd's `rpc_uci_merge_set`: arrays replace the whole list, scalars set, empty strings delete. */
function writeValues(pkg: UciPackage, section: string, values: Record<string, unknown>, deltas: UciDelta[]): void {
  for (const [option, value] of Object.entries(values)) {
    if (Array.isArray(value)) {
      const existing = target(pkg, section, option);
      if (existing.complete) deleteEntry(pkg, existing, deltas);
      for (const item of value) addList(pkg, target(pkg, section, option, uciString(item)), deltas);
    } else if (value !== null && typeof value !== 'object') {
      setValue(pkg, target(pkg, section, option, uciString(value)), deltas);
    }
  }
}
