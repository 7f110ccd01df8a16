/** adb_w_copy: copies a value and everything it points to from one ADB into another, leaves first. */
import type { AdbReader } from './adb-reader.js';
import { valueType } from './adb-reader.js';
import type { AdbWriter } from './adb-writer.js';
import { ADB_TYPE } from './schema.js';

export function copyValue(from: AdbReader, to: AdbWriter, value: number): number {
  const type = valueType(value);
  switch (type) {
    case ADB_TYPE.special:
    case ADB_TYPE.int:
      return value;
    case ADB_TYPE.object:
    case ADB_TYPE.array: {
      const source = from.object(value);
      const copied = source.map((slot, i) => (i === 0 ? slot : copyValue(from, to, slot)));
      return to.object(copied, type);
    }
    default: {
      const { bytes, alignment } = from.rawLeaf(value);
      return to.copyData(type, Buffer.from(bytes), alignment);
    }
  }
}
