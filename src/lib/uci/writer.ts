import { spawn } from 'node:child_process';
import { UBUS_STATUS, UbusError } from '../ubus/types.js';
import type { Ubus, UbusArgs } from '../ubus/types.js';
import { quoteUci } from './render.js';
import { validateOptionName, validatePackageName, validateType } from './tokenizer.js';

/** One change to a named section of a package. */
export type UciChange =
  | { op: 'set'; section: string; option: string; value: string | string[] }
  /** Creates the named section (or changes its type). */
  | { op: 'section'; section: string; type: string }
  | { op: 'add_list'; section: string; option: string; value: string }
  | { op: 'del_list'; section: string; option: string; value: string }
  | { op: 'delete'; section: string; option?: string };

/** Writes and commits changes the way OpenWrt programs do: never by editing the file. */
export interface UciWriter {
  apply(pkg: string, changes: UciChange[]): Promise<void>;
}

function checkNames(pkg: string, change: UciChange): void {
  if (!validatePackageName(pkg) || pkg.includes('.')) throw new Error(`invalid UCI package name '${pkg}'`);
  if (!validateOptionName(change.section)) throw new Error(`invalid UCI section name '${change.section}'`);
  if ('option' in change && change.option !== undefined && !validateOptionName(change.option)) {
    throw new Error(`invalid UCI option name '${change.option}'`);
  }
  if (change.op === 'section' && !validateType(change.type)) throw new Error(`invalid UCI section type '${change.type}'`);
}

/** `uci batch` input lines for the changes, ending with `commit <pkg>`. */
export function batchScript(pkg: string, changes: UciChange[]): string {
  const lines: string[] = [];
  for (const change of changes) {
    checkNames(pkg, change);
    const path = `${pkg}.${change.section}`;
    switch (change.op) {
      case 'section':
        lines.push(`set ${path}=${quoteUci(change.type)}`);
        break;
      case 'set':
        if (Array.isArray(change.value)) {
          lines.push(`delete ${path}.${change.option}`);
          for (const item of change.value) lines.push(`add_list ${path}.${change.option}=${quoteUci(item)}`);
        } else {
          lines.push(`set ${path}.${change.option}=${quoteUci(change.value)}`);
        }
        break;
      case 'add_list':
      case 'del_list':
        lines.push(`${change.op} ${path}.${change.option}=${quoteUci(change.value)}`);
        break;
      case 'delete':
        lines.push(`delete ${path}${change.option !== undefined ? `.${change.option}` : ''}`);
        break;
    }
  }
  lines.push(`commit ${pkg}`);
  return lines.join('\n') + '\n';
}

export interface BatchWriterOptions {
  /** `-c`: only passed when not the default `/etc/config`. */
  configDir?: string;
  /** The `uci` program; found on PATH by default. */
  command?: string;
  timeoutMs?: number;
}

/**
 * Runs `uci [-c dir] batch` and feeds it the changes. `uci batch` exits 0 even when a line fails,
 * so anything on stderr is treated as a failure (`delete` of a missing option is expected and ignored).
 */
export class UciBatchWriter implements UciWriter {
  constructor(private readonly options: BatchWriterOptions = {}) {}

  apply(pkg: string, changes: UciChange[]): Promise<void> {
    const script = batchScript(pkg, changes);
    const args: string[] = [];
    if (this.options.configDir && this.options.configDir !== '/etc/config') args.push('-c', this.options.configDir);
    args.push('batch');
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command ?? 'uci', args, { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), this.options.timeoutMs ?? 10_000);
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
      child.stdout.resume();
      child.on('error', (error) => { clearTimeout(timer); reject(new Error(`uci batch: ${error.message}`)); });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const problems = stderr.split('\n').filter((line) => line && line !== 'uci: Entry not found');
        if (code !== 0 || signal) reject(new Error(`uci batch exited with ${signal ?? code}: ${stderr.trim()}`));
        else if (problems.length) reject(new Error(`uci batch: ${problems.join('; ')}`));
        else resolve();
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(script);
    });
  }
}

/** Writes through rpcd's `uci` ubus object (`set`/`add`/`delete`/`commit`), for code holding a ubus connection. */
export class UbusUciWriter implements UciWriter {
  /** `session`: an rpcd session id whose ACL allows the writes; omitted for local root callers. */
  constructor(private readonly ubus: Ubus, private readonly session?: string) {}

  private call(method: string, args: UbusArgs): Promise<UbusArgs> {
    return this.ubus.call('uci', method, this.session ? { ubus_rpc_session: this.session, ...args } : args);
  }

  async apply(pkg: string, changes: UciChange[]): Promise<void> {
    for (const change of changes) {
      checkNames(pkg, change);
      const { section } = change;
      switch (change.op) {
        case 'section':
          await this.ensureSection(pkg, section, change.type);
          break;
        case 'set':
          await this.call('set', { config: pkg, section, values: { [change.option]: change.value } });
          break;
        case 'add_list':
        case 'del_list': {
          const current = await this.currentList(pkg, section, change.option);
          const next = change.op === 'add_list' ? [...current, change.value] : current.filter((item) => item !== change.value);
          await this.call('set', { config: pkg, section, values: { [change.option]: next } });
          break;
        }
        case 'delete':
          await this.call('delete', change.option !== undefined ? { config: pkg, section, option: change.option } : { config: pkg, section })
            .catch((error: unknown) => {
              if (!(error instanceof UbusError && error.code === UBUS_STATUS.NOT_FOUND)) throw error;
            });
          break;
      }
    }
    await this.call('commit', { config: pkg });
  }

  private async ensureSection(pkg: string, section: string, type: string): Promise<void> {
    try {
      const reply = await this.call('get', { config: pkg, section });
      const values = reply.values as Record<string, unknown> | undefined;
      if (values?.['.type'] === type) return;
    } catch (error) {
      if (!(error instanceof UbusError && error.code === UBUS_STATUS.NOT_FOUND)) throw error;
    }
    await this.call('add', { config: pkg, type, name: section });
  }

  private async currentList(pkg: string, section: string, option: string): Promise<string[]> {
    try {
      const reply = await this.call('get', { config: pkg, section, option });
      const value = reply.value;
      return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
    } catch (error) {
      if (error instanceof UbusError && error.code === UBUS_STATUS.NOT_FOUND) return [];
      throw error;
    }
  }
}
