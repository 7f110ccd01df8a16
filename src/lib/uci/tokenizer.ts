import { UciParseError } from './types.js';

/**
 * The line buffer of libuci's parser, byte for byte: quoted values may pull in following lines,
 * words are cut in place with NUL bytes, and error positions are offsets into this buffer.
 * Keeping the same mechanics is what makes `line N, byte M` and the odd cases (`;`, `#`, a
 * trailing backslash) come out exactly like the real uci.
 */
export class LineBuffer {
  buf = new Uint8Array(256);
  filled = 0;
  pos = 0;
  line = 0;
  private inputOffset = 0;
  private atEof = false;

  constructor(private readonly input: Uint8Array) {}

  /** feof(): true only once a read has hit the end, as with stdio. */
  get eof(): boolean {
    return this.atEof;
  }

  /** fgets() of the next input line into the buffer at `offset`. */
  readLine(offset: number): void {
    this.ensure(offset + 2);
    this.buf[offset] = 0;
    const start = this.inputOffset;
    if (start >= this.input.length) {
      this.atEof = true;
      return;
    }
    let end = this.input.indexOf(0x0a, start);
    if (end === -1) {
      end = this.input.length;
      this.atEof = true;
    } else {
      end += 1;
    }
    const chunk = this.input.subarray(start, end);
    this.inputOffset = end;
    this.ensure(offset + chunk.length + 2);
    this.buf.set(chunk, offset);
    this.buf[offset + chunk.length] = 0;
    this.filled = offset + chunk.length;
    if (chunk[chunk.length - 1] === 0x0a) this.line++;
  }

  char(index: number): number {
    return index < this.buf.length ? this.buf[index] : 0;
  }

  get cur(): number {
    return this.char(this.pos);
  }

  setChar(index: number, value: number): void {
    this.ensure(index + 1);
    this.buf[index] = value;
  }

  /** The NUL-terminated byte string at `index`. */
  bytesAt(index: number): Uint8Array {
    let end = index;
    while (end < this.buf.length && this.buf[end] !== 0) end++;
    return this.buf.subarray(index, end);
  }

  stringAt(index: number): string {
    return Buffer.from(this.bytesAt(index)).toString('utf8');
  }

  error(reason: string): never {
    throw new UciParseError(reason, this.line, this.pos);
  }

  private ensure(size: number): void {
    if (size <= this.buf.length) return;
    let next = this.buf.length * 2;
    while (next < size) next *= 2;
    const grown = new Uint8Array(next);
    grown.set(this.buf);
    this.buf = grown;
  }
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);
export const isSpace = (c: number): boolean => SPACE.has(c);
const QUOTE = 0x27;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const HASH = 0x23;
const SEMICOLON = 0x3b;
const NEWLINE = 0x0a;
const CR = 0x0d;

export function skipWhitespace(lb: LineBuffer): void {
  while (lb.cur && isSpace(lb.cur)) lb.pos++;
}

/** Returns false when a backslash ended the line and the next line was fetched instead. */
function parseBackslash(lb: LineBuffer): boolean {
  lb.pos++;
  const c = lb.cur;
  if (!c || c === NEWLINE || (c === CR && lb.char(lb.pos + 1) === NEWLINE && !lb.char(lb.pos + 2))) {
    lb.readLine(lb.pos);
    return false;
  }
  return true;
}

function copyChar(lb: LineBuffer, target: { at: number }): void {
  lb.setChar(target.at, lb.cur);
  target.at++;
  lb.pos++;
}

function parseDoubleQuote(lb: LineBuffer, target: { at: number }): void {
  lb.pos++;
  for (;;) {
    const c = lb.cur;
    if (c === DQUOTE) {
      lb.pos++;
      return;
    }
    if (c === 0) {
      lb.readLine(lb.pos);
      if (!lb.cur) lb.error('EOF with unterminated "');
      continue;
    }
    if (c === BACKSLASH && !parseBackslash(lb)) continue;
    copyChar(lb, target);
  }
}

function parseSingleQuote(lb: LineBuffer, target: { at: number }): void {
  lb.pos++;
  for (;;) {
    const c = lb.cur;
    if (c === QUOTE) {
      lb.pos++;
      return;
    }
    if (c === 0) {
      lb.readLine(lb.pos);
      if (!lb.cur) lb.error("EOF with unterminated '");
      continue;
    }
    copyChar(lb, target);
  }
}

function parseString(lb: LineBuffer, target: { at: number }): void {
  let next = true;
  loop: do {
    switch (lb.cur) {
      case QUOTE:
        parseSingleQuote(lb, target);
        break;
      case DQUOTE:
        parseDoubleQuote(lb, target);
        break;
      case HASH:
        lb.setChar(lb.pos, 0);
        break loop;
      case 0:
        break loop;
      case SEMICOLON:
        next = false;
        break loop;
      case BACKSLASH:
        if (!parseBackslash(lb)) continue;
        copyChar(lb, target);
        break;
      default:
        copyChar(lb, target);
    }
  } while (lb.cur && !isSpace(lb.cur));
  if (lb.cur && next) lb.pos++;
  lb.setChar(target.at, 0);
}

/** Validation of names the way libuci's `uci_validate_str` does it. */
export function validateName(bytes: Uint8Array | string, name: boolean, pkg: boolean): boolean {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  if (data.length === 0) return false;
  for (const c of data) {
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f) continue;
    if (c === 0x2d && pkg) continue;
    if (name || c < 33 || c > 126) return false;
  }
  return true;
}

export const validateType = (value: Uint8Array | string): boolean => validateName(value, false, false);
export const validateOptionName = (value: Uint8Array | string): boolean => validateName(value, true, false);
export const validatePackageName = (value: Uint8Array | string): boolean => validateName(value, false, true);

/** libuci `next_arg`: the offset of the next (unquoted, joined) argument in the buffer. */
export function nextArg(lb: LineBuffer, required: boolean, name: boolean, pkg: boolean): number {
  skipWhitespace(lb);
  const start = lb.pos;
  if (lb.cur === SEMICOLON) {
    lb.setChar(lb.pos, 0);
    lb.pos++;
  } else {
    parseString(lb, { at: start });
  }
  if (!lb.char(start)) {
    if (required) lb.error('insufficient arguments');
    return start;
  }
  if (name && !validateName(lb.bytesAt(start), name, pkg)) lb.error('invalid character in name field');
  return start;
}

/**
 * Reads one argument from a stream of lines the way `uci batch` and delta files do
 * (libuci `uci_parse_argument`): `fresh` starts a new line.
 */
export function readArgument(lb: LineBuffer, fresh: boolean): { value: string; rest: number } {
  if (fresh) {
    lb.pos = 0;
    lb.readLine(0);
  }
  const at = nextArg(lb, false, false, false);
  return { value: lb.stringAt(at), rest: lb.cur };
}
