/** Method signatures: a table per method whose members are int32 values holding blobmsg type ids. */
import { BLOBMSG_TYPE, type BlobmsgField } from './blobmsg.js';
import type { UbusArgType, UbusMethod } from './types.js';

const TYPE_ID_BY_ARG: Record<UbusArgType, number> = {
  array: BLOBMSG_TYPE.array,
  table: BLOBMSG_TYPE.table,
  string: BLOBMSG_TYPE.string,
  int64: BLOBMSG_TYPE.int64,
  int32: BLOBMSG_TYPE.int32,
  int16: BLOBMSG_TYPE.int16,
  int8: BLOBMSG_TYPE.int8,
  boolean: BLOBMSG_TYPE.int8,
  double: BLOBMSG_TYPE.double,
};

const ARG_BY_TYPE_ID: Record<number, UbusArgType> = {
  [BLOBMSG_TYPE.array]: 'array',
  [BLOBMSG_TYPE.table]: 'table',
  [BLOBMSG_TYPE.string]: 'string',
  [BLOBMSG_TYPE.int64]: 'int64',
  [BLOBMSG_TYPE.int32]: 'int32',
  [BLOBMSG_TYPE.int16]: 'int16',
  [BLOBMSG_TYPE.int8]: 'boolean',
  [BLOBMSG_TYPE.double]: 'double',
};

export function encodeSignature(methods: Record<string, Pick<UbusMethod, 'signature'>>): BlobmsgField[] {
  return Object.entries(methods).map(([method, { signature }]) => ({
    type: 'table',
    name: method,
    value: Object.entries(signature ?? {}).map(([arg, type]): BlobmsgField => {
      const id = TYPE_ID_BY_ARG[type];
      if (id === undefined) throw new TypeError(`method ${method}: argument ${arg} has unknown type ${String(type)}`);
      return { type: 'int32', name: arg, value: id };
    }),
  }));
}

export function decodeSignature(fields: readonly BlobmsgField[]): Record<string, Record<string, UbusArgType | 'unknown'>> {
  const methods: Record<string, Record<string, UbusArgType | 'unknown'>> = {};
  for (const method of fields) {
    const args: Record<string, UbusArgType | 'unknown'> = {};
    if (method.type === 'table') {
      for (const arg of method.value) args[arg.name] = arg.type === 'int32' ? ARG_BY_TYPE_ID[arg.value] ?? 'unknown' : 'unknown';
    }
    methods[method.name] = args;
  }
  return methods;
}
