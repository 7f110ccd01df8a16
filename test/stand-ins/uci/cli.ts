// The `uci` command line (openwrt/uci cli.c behaviour) on top of the stand-in store.
import { readFileSync } from 'node:fs';
import { LineBuffer, readArgument } from '../../../src/lib/uci/tokenizer.js';
import { addList, addSection, delList, deleteEntry, parsePtr, rename, reorder, resolve, setValue } from '../../../src/lib/uci/model.js';
import type { Resolved } from '../../../src/lib/uci/model.js';
import { getValue, renderPackage, showPackage, showSection, showValue } from '../../../src/lib/uci/render.js';
import { UciError } from '../../../src/lib/uci/types.js';
import { formatChange } from './delta.js';
import { UciStore } from './store.js';
import type { LoadedPackage } from './store.js';
import { USAGE, parseCliOptions } from './options.js';
import type { CliFlags } from './options.js';

export interface UciRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface UciIo {
  stdin?: Uint8Array | string;
  /** libuci's compiled-in save dir; `/tmp/.uci` on a device. */
  defaultSaveDir?: string;
}

const SECTION_COMMANDS = new Set(['get', 'set', 'rename', 'ren', 'revert', 'reorder', 'delete', 'del', 'add_list', 'del_list']);
const PACKAGE_COMMANDS = new Set(['show', 'changes', 'export', 'commit']);

interface Output {
  out: string;
  err: string;
}

class UciCli {
  private inBatch = false;

  constructor(
    private readonly flags: CliFlags,
    private readonly store: UciStore,
    private readonly stdin: Uint8Array,
    private readonly output: Output,
  ) {}

  private set out(text: string) { this.output.out = text; }
  private get out(): string { return this.output.out; }
  private set err(text: string) { this.output.err = text; }
  private get err(): string { return this.output.err; }

  private perror(error: unknown): void {
    if (this.flags.quiet) return;
    const message = error instanceof UciError ? error.message : 'Unknown error';
    this.err += `uci: ${message}\n`;
  }

  command(argv: string[]): number {
    const name = argv[0].toLowerCase();
    if (name === 'batch' && !this.inBatch) return this.batch();
    if (SECTION_COMMANDS.has(name)) return this.sectionCommand(name, argv);
    if (PACKAGE_COMMANDS.has(name)) return this.packageCommands(name, argv);
    if (name === 'add') return this.add(argv);
    if (name === 'help') {
      this.err += USAGE;
      return 0;
    }
    return 255;
  }

  private lookup(tuple: string): { loaded: LoadedPackage; target: Resolved } {
    const ptr = parsePtr(tuple);
    const loaded = this.store.load(ptr.package);
    return { loaded, target: resolve(loaded.pkg, ptr, true) };
  }

  private packageCommands(name: string, argv: string[]): number {
    if (argv.length > 2) return 255;
    if (argv.length === 2) return this.packageCommand(name, argv[1]);
    let configs: string[];
    try {
      configs = this.store.listConfigs();
    } catch (error) {
      this.perror(error);
      return 1;
    }
    for (const config of configs) this.packageCommand(name, config);
    return 0;
  }

  private packageCommand(name: string, tuple: string): number {
    try {
      const { loaded, target } = this.lookup(tuple);
      const { pkg } = loaded;
      if (name === 'changes') {
        this.out += loaded.saved.map((delta) => formatChange(pkg.name, delta)).join('');
      } else if (name === 'commit') {
        if (!this.flags.noCommit) this.store.commit(pkg.name);
      } else if (name === 'export') {
        this.out += renderPackage(pkg, { header: true, nameAnonymous: this.flags.exportName });
      } else {
        if (!target.complete) throw new UciError('NOTFOUND');
        const { option } = target.ptr;
        if (target.section && option !== undefined) {
          const value = target.section.options.get(option) ?? '';
          this.out += `${pkg.name}.${target.section.name}.${option}=${showValue(value, this.flags.delimiter)}\n`;
        } else if (target.section) {
          this.out += showSection(pkg.name, target.section, target.section.name, this.flags.delimiter);
        } else {
          this.out += showPackage(pkg, { extended: this.flags.showExtended, delimiter: this.flags.delimiter });
        }
      }
      return 0;
    } catch (error) {
      this.perror(error);
      return 1;
    }
  }

  private add(argv: string[]): number {
    if (argv.length !== 3) return 255;
    try {
      const loaded = this.store.load(argv[1]);
      const section = addSection(loaded.pkg, argv[2], loaded.pending);
      this.store.save(loaded);
      this.out += `${section.name}\n`;
      return 0;
    } catch (error) {
      this.perror(error);
      return 1;
    }
  }

  private sectionCommand(name: string, argv: string[]): number {
    if (argv.length !== 2) return 255;
    let loaded: LoadedPackage;
    let target: Resolved;
    try {
      ({ loaded, target } = this.lookup(argv[1]));
    } catch (error) {
      this.perror(error);
      return 1;
    }
    const { ptr } = target;
    if (ptr.value !== undefined && (name === 'get' || name === 'revert')) return 1;
    try {
      switch (name) {
        case 'get':
          if (!target.complete) throw new UciError('NOTFOUND');
          if (target.section && ptr.option !== undefined) {
            this.out += `${getValue(target.section.options.get(ptr.option) ?? '', this.flags.delimiter)}\n`;
          } else if (target.section) {
            this.out += `${target.section.type}\n`;
          }
          return 0;
        case 'revert':
          this.store.revert(loaded.pkg.name, target.sectionName ?? ptr.section, ptr.option);
          return 0;
        case 'rename':
        case 'ren':
          rename(loaded.pkg, target, loaded.pending);
          break;
        case 'set':
          setValue(loaded.pkg, target, loaded.pending);
          break;
        case 'add_list':
          addList(loaded.pkg, target, loaded.pending);
          break;
        case 'del_list':
          delList(loaded.pkg, target, loaded.pending);
          break;
        case 'reorder':
          if (!target.section || ptr.value === undefined) throw new UciError('NOTFOUND');
          reorder(loaded.pkg, target.section, Number.parseInt(/^\s*\+?\d*/.exec(ptr.value)?.[0] || '0', 10) || 0, loaded.pending);
          break;
        default:
          if (ptr.value !== undefined && !/^\s*[-+]?\d/.test(ptr.value)) return 1;
          deleteEntry(loaded.pkg, target, loaded.pending);
      }
      this.store.save(loaded);
      return 0;
    } catch (error) {
      this.perror(error);
      return 1;
    }
  }

  private batch(): number {
    this.inBatch = true;
    const lb = new LineBuffer(this.stdin);
    while (!lb.eof) {
      const argv: string[] = [];
      try {
        for (let fresh = true; ; fresh = false) {
          const { value } = readArgument(lb, fresh);
          if (!value) break;
          argv.push(value);
        }
      } catch (error) {
        this.perror(error);
        argv.length = 0;
      }
      if (!argv.length) continue;
      if (argv[0].toLowerCase() === 'exit') break;
      if (this.command(argv) === 255) this.err += 'Unknown command\n';
    }
    this.inBatch = false;
    return 0;
  }
}

/** Runs one `uci` invocation in-process; `argv` excludes the program name. */
export function runUci(argv: string[], io: UciIo = {}): UciRun {
  const parsed = parseCliOptions(argv);
  if (parsed.kind === 'usage') return { stdout: '', stderr: USAGE, exitCode: 0 };
  const { flags, rest } = parsed;
  let stdinBytes: Uint8Array;
  try {
    stdinBytes = flags.inputFile !== undefined ? readFileSync(flags.inputFile) : typeof io.stdin === 'string' ? Buffer.from(io.stdin) : io.stdin ?? new Uint8Array();
  } catch (error) {
    return { stdout: '', stderr: `uci: ${(error as NodeJS.ErrnoException).message}`, exitCode: 1 };
  }
  const output: Output = { out: '', err: '' };
  const store = new UciStore({
    confDir: flags.confDir,
    defaultSaveDir: io.defaultSaveDir ?? '/tmp/.uci',
    strict: flags.strict,
    printParseErrors: flags.printParseErrors,
    stderr: (text) => { output.err += text; },
  });
  try {
    for (const step of flags.deltaSteps) {
      if (step.kind === 'savedir') store.setSaveDir(step.dir);
      else store.addDeltaPath(step.dir);
    }
  } catch {
    // a duplicate -p is ignored by the real CLI as well (the error is never printed)
  }
  if (!rest.length) return { stdout: '', stderr: USAGE, exitCode: 0 };
  const code = new UciCli(flags, store, stdinBytes, output).command(rest);
  return { stdout: output.out, stderr: output.err + (code === 255 ? USAGE : ''), exitCode: code };
}
