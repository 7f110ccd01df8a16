/**
 * A JSON parser that keeps what json-c keeps and `blobmsg_add_json_from_string` uses: integer literals
 * stay integers (int32 when they fit, int64 otherwise, clamped to the int64 range), literals with a
 * fraction or exponent are doubles, a repeated key replaces the earlier value in place, and text after
 * the first complete value is ignored (json_tokener_parse).
 */
import type { BlobmsgField } from '../../../src/lib/ubus/blobmsg.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export class JsonParseError extends Error {
  override name = 'JsonParseError';
}

class Parser {
  private position = 0;

  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new JsonParseError(`${what} at offset ${this.position}`);
  }

  skipSpace(): void {
    while (this.position < this.text.length && ' \t\n\r'.includes(this.text[this.position]!)) this.position++;
  }

  expect(char: string): void {
    this.skipSpace();
    if (this.text[this.position] !== char) this.fail(`expected '${char}'`);
    this.position++;
  }

  value(name: string): BlobmsgField {
    this.skipSpace();
    const char = this.text[this.position];
    if (char === '{') return { type: 'table', name, value: this.object() };
    if (char === '[') return { type: 'array', name, value: this.array() };
    if (char === '"') return { type: 'string', name, value: this.string() };
    for (const [word, field] of [['true', 1], ['false', 0], ['null', null]] as const) {
      if (this.text.startsWith(word, this.position)) {
        this.position += word.length;
        return field === null ? { type: 'unspec', name, value: null } : { type: 'int8', name, value: field };
      }
    }
    return this.number(name);
  }

  object(): BlobmsgField[] {
    this.expect('{');
    const fields: BlobmsgField[] = [];
    this.skipSpace();
    if (this.text[this.position] === '}') {
      this.position++;
      return fields;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] !== '"') this.fail('expected a key');
      const key = this.string();
      this.expect(':');
      const field = this.value(key);
      const existing = fields.findIndex((item) => item.name === key);
      if (existing >= 0) fields[existing] = field;
      else fields.push(field);
      this.skipSpace();
      const next = this.text[this.position++];
      if (next === '}') return fields;
      if (next !== ',') this.fail("expected ',' or '}'");
    }
  }

  array(): BlobmsgField[] {
    this.expect('[');
    const items: BlobmsgField[] = [];
    this.skipSpace();
    if (this.text[this.position] === ']') {
      this.position++;
      return items;
    }
    for (;;) {
      items.push(this.value(''));
      this.skipSpace();
      const next = this.text[this.position++];
      if (next === ']') return items;
      if (next !== ',') this.fail("expected ',' or ']'");
    }
  }

  string(): string {
    const start = this.position;
    let end = start + 1;
    while (end < this.text.length && this.text[end] !== '"') end += this.text[end] === '\\' ? 2 : 1;
    if (end >= this.text.length) this.fail('unterminated string');
    this.position = end + 1;
    try {
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      return this.fail('bad string escape');
    }
  }

  number(name: string): BlobmsgField {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.position));
    if (!match) this.fail('unexpected character');
    this.position += match[0].length;
    if (match[2] === undefined && match[3] === undefined) {
      let integer = BigInt(match[0]);
      if (integer > INT64_MAX) integer = INT64_MAX;
      if (integer < INT64_MIN) integer = INT64_MIN;
      if (integer >= -0x80000000n && integer <= 0x7fffffffn) return { type: 'int32', name, value: Number(integer) };
      return { type: 'int64', name, value: integer };
    }
    return { type: 'double', name, value: Number(match[0]) };
  }
}

/** Parses a JSON object into table fields, as `blobmsg_add_json_from_string` does; anything else is an error. */
export function parseJsonObjectToBlobmsg(text: string): BlobmsgField[] {
  const parser = new Parser(text);
  parser.skipSpace();
  if (text[text.search(/\S/)] !== '{') throw new JsonParseError('the JSON text is not an object');
  return parser.object();
}
