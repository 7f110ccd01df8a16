/**
 * Text rendering of blobmsg exactly as libubox `blobmsg_format_json` writes it (used by `ubus call`,
 * `ubus listen` and uhttpd): doubles as `%lf`, int8 as true/false, empty names left out, UTF-8 raw,
 * other control characters as \u00XX, and with indentation tabs and newlines around every container.
 */
import type { BlobmsgField } from './blobmsg.js';

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b' };

function formatString(text: string): string {
  let out = '"';
  for (const char of text) {
    const escaped = SHORT_ESCAPES[char];
    if (escaped) out += escaped;
    else if (char.charCodeAt(0) < 0x20) out += `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** C `printf("%lf")`: the exact binary value rounded half-to-even at 6 decimals. */
export function formatDoubleLikeC(value: number): string {
  if (Number.isNaN(value)) return value < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(value)) return value < 0 ? '-inf' : 'inf';
  const bits = Buffer.alloc(8);
  bits.writeDoubleBE(value);
  const raw = bits.readBigUInt64BE(0);
  const negative = raw >> 63n === 1n;
  const exponentBits = Number((raw >> 52n) & 0x7ffn);
  const fraction = raw & ((1n << 52n) - 1n);
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  let scaled: bigint;
  if (exponent >= 0) {
    scaled = (mantissa * 1_000_000n) << BigInt(exponent);
  } else {
    const numerator = mantissa * 1_000_000n;
    const denominator = 1n << BigInt(-exponent);
    scaled = numerator / denominator;
    const twiceRemainder = (numerator % denominator) * 2n;
    if (twiceRemainder > denominator || (twiceRemainder === denominator && scaled % 2n === 1n)) scaled += 1n;
  }
  const digits = scaled.toString().padStart(7, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

function formatScalar(field: BlobmsgField): string {
  switch (field.type) {
    case 'unspec':
      return 'null';
    case 'string':
      return formatString(field.value);
    case 'int8':
      return field.value !== 0 ? 'true' : 'false';
    case 'int16':
    case 'int32':
      return String(field.value);
    case 'int64':
      return field.value.toString();
    case 'double':
      return formatDoubleLikeC(field.value);
    default:
      throw new Error('containers are formatted by formatContainer');
  }
}

function formatContainer(children: readonly BlobmsgField[], isArray: boolean, indent: number | undefined): string {
  const open = isArray ? '[' : '{';
  const close = isArray ? ']' : '}';
  const lineStart = (depth: number): string => (indent === undefined ? '' : `\n${'\t'.repeat(depth)}`);
  const inner = indent === undefined ? undefined : indent + 1;
  const parts = children.map((child) => {
    const name = !isArray && child.name !== '' ? `${formatString(child.name)}:${indent === undefined ? '' : ' '}` : '';
    return `${name}${formatValue(child, inner)}`;
  });
  if (parts.length === 0) return indent === undefined ? `${open}${close}` : `${open}${lineStart(indent + 1)}${lineStart(indent)}${close}`;
  return `${open}${lineStart(indent === undefined ? 0 : indent + 1)}${parts.join(`,${lineStart(indent === undefined ? 0 : indent + 1)}`)}${lineStart(indent ?? 0)}${close}`;
}

function formatValue(field: BlobmsgField, indent: number | undefined): string {
  if (field.type === 'table' || field.type === 'array') return formatContainer(field.value, field.type === 'array', indent);
  return formatScalar(field);
}

/**
 * `blobmsg_format_json(head, true)` when `indent` is undefined, `blobmsg_format_json_indent(head, true, indent)`
 * otherwise. `fields` are the members of the root table.
 */
export function formatBlobmsgJson(fields: readonly BlobmsgField[], indent?: number): string {
  return formatContainer(fields, false, indent);
}

/** Formats one value on its own (`blobmsg_format_json_value`-like), e.g. for `ubus listen` lines. */
export function formatBlobmsgValue(field: BlobmsgField, indent?: number): string {
  return formatValue(field, indent);
}
