/**
 * Plain JS values <-> blobmsg fields.
 *
 * Encoding follows libubox `blobmsg_add_json`: an integer that fits int32 becomes int32, a larger integer
 * int64 (clamped to the int64 range, as json-c does), a fractional or non-finite number double, a boolean
 * int8, null unspec, a string string, an array array, an object table. `bigint` becomes int64. To force a
 * type (int8/int16/int64/double for an integral number), wrap the value with `blobmsgTyped()`.
 *
 * Decoding: int8 -> boolean (any non-zero is true), int16/int32/double -> number, int64 -> number when
 * |v| <= 2^53, otherwise its decimal string (the same rendering the conformance captures use, and JSON-safe
 * unlike bigint), unspec -> null, table -> object (an empty name becomes the key ""), array -> array.
 */
import type { BlobmsgField, BlobmsgTypeName } from './blobmsg.js';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const SAFE_LIMIT = 1n << 53n;

type ScalarTypeName = Exclude<BlobmsgTypeName, 'array' | 'table' | 'unspec'>;

/** A value with an explicit blobmsg type, for cases the JS type cannot express. */
export class BlobmsgTyped {
  constructor(readonly type: ScalarTypeName, readonly value: number | bigint | string | boolean) {}
}

export function blobmsgTyped(type: ScalarTypeName, value: number | bigint | string | boolean): BlobmsgTyped {
  return new BlobmsgTyped(type, value);
}

function clampInt64(value: bigint): bigint {
  return value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value;
}

function toBigInt(value: number | bigint | string | boolean): bigint {
  if (typeof value === 'bigint') return clampInt64(value);
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'string') return clampInt64(BigInt(value));
  if (!Number.isFinite(value)) return value > 0 ? INT64_MAX : value < 0 ? INT64_MIN : 0n;
  return clampInt64(BigInt(Math.trunc(value)));
}

function typedField(name: string, typed: BlobmsgTyped): BlobmsgField {
  const { type, value } = typed;
  switch (type) {
    case 'string':
      return { type, name, value: String(value) };
    case 'int64':
      return { type, name, value: toBigInt(value) };
    case 'double':
      return { type, name, value: Number(value) };
    case 'int8':
      return { type, name, value: typeof value === 'boolean' ? (value ? 1 : 0) : Number(value) & 0xff };
    case 'int16':
    case 'int32':
      return { type, name, value: Number(typeof value === 'boolean' ? Number(value) : value) };
  }
}

export function jsToBlobmsgField(name: string, value: unknown): BlobmsgField {
  if (value instanceof BlobmsgTyped) return typedField(name, value);
  if (value === null || value === undefined) return { type: 'unspec', name, value: null };
  switch (typeof value) {
    case 'boolean':
      return { type: 'int8', name, value: value ? 1 : 0 };
    case 'number':
      if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return { type: 'int32', name, value };
      if (Number.isInteger(value)) return { type: 'int64', name, value: toBigInt(value) };
      return { type: 'double', name, value };
    case 'bigint':
      return { type: 'int64', name, value: clampInt64(value) };
    case 'string':
      return { type: 'string', name, value };
    case 'object':
      if (Array.isArray(value)) return { type: 'array', name, value: value.map((item) => jsToBlobmsgField('', item)) };
      return { type: 'table', name, value: jsObjectToBlobmsg(value as Record<string, unknown>) };
    default:
      throw new TypeError(`cannot encode a ${typeof value} as blobmsg (field "${name}")`);
  }
}

/** Encodes an object's own properties as table fields; `undefined` properties are left out as JSON does. */
export function jsObjectToBlobmsg(object: Record<string, unknown>): BlobmsgField[] {
  const fields: BlobmsgField[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || typeof value === 'function') continue;
    fields.push(jsToBlobmsgField(key, value));
  }
  return fields;
}

export function int64ToJs(value: bigint): number | string {
  return value <= SAFE_LIMIT && value >= -SAFE_LIMIT ? Number(value) : value.toString();
}

export function blobmsgFieldToJs(field: BlobmsgField): unknown {
  switch (field.type) {
    case 'unspec':
      return null;
    case 'array':
      return field.value.map(blobmsgFieldToJs);
    case 'table':
      return blobmsgFieldsToObject(field.value);
    case 'int8':
      return field.value !== 0;
    case 'int64':
      return int64ToJs(field.value);
    default:
      return field.value;
  }
}

export function blobmsgFieldsToObject(fields: readonly BlobmsgField[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const field of fields) {
    Object.defineProperty(object, field.name, { value: blobmsgFieldToJs(field), enumerable: true, writable: true, configurable: true });
  }
  return object;
}
