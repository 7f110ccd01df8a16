/** Reads an ADB block payload: value tags, blobs, integers and objects (adb_r_* of apk-tools). */
import { ADB_NULL, ADB_TYPE } from './schema.js';

export class AdbFormatError extends Error {}

export function valueType(value: number): number {
  return value >>> 28;
}

function valueOffset(value: number): number {
  return value & 0x0fffffff;
}

export class AdbReader {
  constructor(readonly payload: Buffer) {
    if (payload.length < 8) throw new AdbFormatError('ADB block shorter than its 8-byte header');
  }

  root(): number {
    return this.payload.readUInt32LE(4);
  }

  private need(offset: number, size: number): void {
    if (offset + size > this.payload.length) throw new AdbFormatError(`ADB value at 0x${offset.toString(16)} runs past the block`);
  }

  blob(value: number): Buffer | undefined {
    const offset = valueOffset(value);
    switch (valueType(value)) {
      case ADB_TYPE.special:
        if (value !== ADB_NULL) throw new AdbFormatError(`expected a blob, got special value ${value}`);
        return undefined;
      case ADB_TYPE.blob8: {
        this.need(offset, 1);
        const size = this.payload[offset]!;
        this.need(offset + 1, size);
        return this.payload.subarray(offset + 1, offset + 1 + size);
      }
      case ADB_TYPE.blob16: {
        this.need(offset, 2);
        const size = this.payload.readUInt16LE(offset);
        this.need(offset + 2, size);
        return this.payload.subarray(offset + 2, offset + 2 + size);
      }
      case ADB_TYPE.blob32: {
        this.need(offset, 4);
        const size = this.payload.readUInt32LE(offset);
        this.need(offset + 4, size);
        return this.payload.subarray(offset + 4, offset + 4 + size);
      }
      default:
        throw new AdbFormatError(`expected a blob, got type 0x${valueType(value).toString(16)}`);
    }
  }

  string(value: number): string | undefined {
    return this.blob(value)?.toString('utf8');
  }

  int(value: number): number {
    const offset = valueOffset(value);
    switch (valueType(value)) {
      case ADB_TYPE.special:
        return 0;
      case ADB_TYPE.int:
        return offset;
      case ADB_TYPE.int32:
        this.need(offset, 4);
        return this.payload.readUInt32LE(offset);
      case ADB_TYPE.int64:
        this.need(offset, 8);
        return Number(this.payload.readBigUInt64LE(offset));
      default:
        throw new AdbFormatError(`expected an integer, got type 0x${valueType(value).toString(16)}`);
    }
  }

  /** The slots of an object or array, index 0 holding the count; `[]`-like (count 1) for NULL. */
  object(value: number): number[] {
    if (value === ADB_NULL) return [1];
    const type = valueType(value);
    if (type !== ADB_TYPE.object && type !== ADB_TYPE.array) throw new AdbFormatError(`expected an object, got type 0x${type.toString(16)}`);
    const offset = valueOffset(value);
    this.need(offset, 4);
    const count = this.payload.readUInt32LE(offset);
    if (count < 1) throw new AdbFormatError('object with a zero count');
    this.need(offset, count * 4);
    const result: number[] = [];
    for (let i = 0; i < count; i++) result.push(this.payload.readUInt32LE(offset + i * 4));
    return result;
  }

  /** Slot `index` of an object, NULL when the object is shorter. */
  slot(objectValue: number, index: number): number {
    return this.object(objectValue)[index] ?? ADB_NULL;
  }

  /** The items of an array value (slots 1..n). */
  items(arrayValue: number): number[] {
    return this.object(arrayValue).slice(1);
  }

  /** The stored bytes of a leaf value and their alignment (for copying into another ADB). */
  rawLeaf(value: number): { bytes: Buffer; alignment: number } {
    const offset = valueOffset(value);
    switch (valueType(value)) {
      case ADB_TYPE.int32:
        this.need(offset, 4);
        return { bytes: this.payload.subarray(offset, offset + 4), alignment: 4 };
      case ADB_TYPE.int64:
        this.need(offset, 8);
        return { bytes: this.payload.subarray(offset, offset + 8), alignment: 8 };
      default: {
        const content = this.blob(value)!;
        const prefix = { [ADB_TYPE.blob8]: 1, [ADB_TYPE.blob16]: 2, [ADB_TYPE.blob32]: 4 }[valueType(value)]!;
        return { bytes: this.payload.subarray(offset, offset + prefix + content.length), alignment: prefix };
      }
    }
  }
}
