import { LineBuffer, nextArg, skipWhitespace, validateType } from './tokenizer.js';
import { addList, addSection, allocSection, setValue } from './model.js';
import { UciParseError, findSection, newPackage } from './types.js';
import type { UciPackage, UciSection } from './types.js';

export interface ParseOptions {
  /** Package name (the file name under the config dir). */
  name: string;
  /** Strict (uci's default): the first error fails the whole file. Otherwise the bad line is skipped. */
  strict?: boolean;
}

export interface ParseResult {
  package: UciPackage;
  /** Errors of skipped lines (non-strict mode only). */
  errors: UciParseError[];
}

class FileParser {
  private section: UciSection | undefined;
  readonly pkg: UciPackage;

  constructor(private readonly lb: LineBuffer, name: string, private readonly strict: boolean) {
    this.pkg = newPackage(name);
  }

  /** libuci cuts the command word with strtok(" \t"); reproduce the NUL it writes. */
  private commandWord(): Uint8Array | undefined {
    const { lb } = this;
    let start = lb.pos;
    while (lb.char(start) === 0x20 || lb.char(start) === 0x09) start++;
    if (!lb.char(start)) return undefined;
    let end = start;
    while (lb.char(end) && lb.char(end) !== 0x20 && lb.char(end) !== 0x09) end++;
    const word = lb.buf.slice(start, end);
    if (lb.char(end)) lb.setChar(end, 0);
    return word;
  }

  private skipCommandWord(errorReason: string): void {
    const { lb } = this;
    const add = lb.bytesAt(lb.pos).length + 1;
    if (lb.pos + add > lb.filled) lb.error(errorReason);
    lb.pos += add;
  }

  private assertEol(): void {
    skipWhitespace(this.lb);
    const at = nextArg(this.lb, false, false, false);
    if (this.lb.char(at) && this.strict) this.lb.error('too many arguments');
  }

  parseLine(): void {
    const { lb } = this;
    skipWhitespace(lb);
    for (;;) {
      const word = this.commandWord();
      if (!word) return;
      const text = Buffer.from(word).toString('latin1');
      if (text[0] === '#') return;
      if (text === 'p' || text === 'package') this.parsePackage();
      else if (text === 'c' || text === 'config') this.parseConfig();
      else if (text === 'o' || text === 'option') this.parseOption(false);
      else if (text === 'l' || text === 'list') this.parseOption(true);
      else lb.error('invalid command');
    }
  }

  private parsePackage(): void {
    this.skipCommandWord('package without name');
    nextArg(this.lb, true, true, true);
    this.assertEol();
  }

  private parseConfig(): void {
    const { lb, pkg } = this;
    this.skipCommandWord('config without name');
    const typeAt = nextArg(lb, true, false, false);
    if (!validateType(lb.bytesAt(typeAt))) lb.error('invalid character in type field');
    const nameAt = nextArg(lb, false, true, false);
    this.assertEol();
    const type = lb.stringAt(typeAt);
    const name = lb.stringAt(nameAt);
    if (!name) {
      this.section = addSection(pkg, type);
      return;
    }
    const existing = findSection(pkg, name);
    if (existing && this.strict && existing.type !== type) {
      lb.error('section of different type overwrites prior section with same name');
    }
    if (existing) {
      existing.type = type;
      this.section = existing;
    } else {
      this.section = allocSection(pkg, type, name);
    }
  }

  private parseOption(list: boolean): void {
    const { lb, pkg } = this;
    const section = this.section;
    if (!section) return lb.error('option/list command found before the first section');
    this.skipCommandWord('option without name');
    const nameAt = nextArg(lb, true, true, false);
    const valueAt = nextArg(lb, false, false, false);
    this.assertEol();
    const option = lb.stringAt(nameAt);
    const value = lb.stringAt(valueAt);
    const target = {
      ptr: { package: pkg.name, section: section.name, option, value, extended: false },
      section,
      sectionName: section.name,
      hasOption: section.options.has(option),
      // A parsed option is never "complete" for uci_set, so an empty value changes nothing.
      complete: false,
    };
    if (list) addList(pkg, target);
    else setValue(pkg, target);
  }
}

/** Parses one UCI config file (bytes or text) exactly as libuci's `uci_import` does. */
export function parseUci(input: Uint8Array | string, options: ParseOptions): ParseResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const lb = new LineBuffer(bytes);
  const strict = options.strict ?? true;
  const parser = new FileParser(lb, options.name, strict);
  const errors: UciParseError[] = [];
  while (!lb.eof) {
    lb.pos = 0;
    lb.readLine(0);
    if (!lb.char(0)) continue;
    try {
      parser.parseLine();
    } catch (error) {
      if (!(error instanceof UciParseError) || strict) throw error;
      errors.push(error);
    }
  }
  return { package: parser.pkg, errors };
}

/** A package as plain data: what a daemon reads. */
export function parseUciPackage(input: Uint8Array | string, name: string): UciPackage {
  return parseUci(input, { name }).package;
}
