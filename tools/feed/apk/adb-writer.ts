/**
 * Writes an ADB value tree the way apk-tools' adb_w_* functions do, so the bytes match `apk mkpkg` and
 * `apk mkndx`: values are appended in the order they are written (children before parents), aligned
 * to their natural size, and identical byte runs are stored once (adb_w_data's dedup) unless written raw.
 */
import { ADB_NULL, ADB_TYPE } from './schema.js';

const HEADER_SIZE = 8;

function tag(type: number, value: number): number {
  return ((type << 28) | value) >>> 0;
}

export class AdbWriter {
  private buffer = Buffer.alloc(4096);
  private length = HEADER_SIZE;
  private readonly written = new Map<string, number>();

  /** The ADB block payload so far (header included). */
  payload(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }

  setRoot(value: number): void {
    this.buffer.writeUInt32LE(value, 4);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (this.length + extra > size) size *= 2;
    const grown = Buffer.alloc(size);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  private writeRaw(bytes: Buffer, alignment: number): number {
    const padded = Math.ceil(this.length / alignment) * alignment;
    this.ensure(padded - this.length + bytes.length);
    this.buffer.fill(0, this.length, padded);
    bytes.copy(this.buffer, padded);
    this.length = padded + bytes.length;
    return padded;
  }

  /** adb_w_data: reuse an earlier identical run if it sits at the wanted alignment. */
  private writeData(bytes: Buffer, alignment: number, dedup = true): number {
    if (!dedup) return this.writeRaw(bytes, alignment);
    const key = bytes.toString('latin1');
    const earlier = this.written.get(key);
    if (earlier !== undefined && earlier % alignment === 0) return earlier;
    const offset = this.writeRaw(bytes, alignment);
    this.written.set(key, offset);
    return offset;
  }

  /** A blob with its u8/u16/u32 length prefix; an empty blob is NULL. `raw` skips dedup (info.hashes). */
  blob(content: Uint8Array | string | undefined, raw = false): number {
    if (content === undefined) return ADB_NULL;
    const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
    if (bytes.length === 0) return ADB_NULL;
    let prefix: Buffer;
    let type: number;
    if (bytes.length > 0xffff) {
      prefix = Buffer.alloc(4);
      prefix.writeUInt32LE(bytes.length);
      type = ADB_TYPE.blob32;
    } else if (bytes.length > 0xff) {
      prefix = Buffer.alloc(2);
      prefix.writeUInt16LE(bytes.length);
      type = ADB_TYPE.blob16;
    } else {
      prefix = Buffer.from([bytes.length]);
      type = ADB_TYPE.blob8;
    }
    return tag(type, this.writeData(Buffer.concat([prefix, bytes]), prefix.length, !raw));
  }

  int(value: number | bigint): number {
    const n = BigInt(value);
    if (n < 0n) throw new Error(`ADB integers are unsigned: ${value}`);
    if (n >= 0x100000000n) {
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64LE(n);
      return tag(ADB_TYPE.int64, this.writeData(bytes, 4));
    }
    if (n >= 0x10000000n) {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32LE(Number(n));
      return tag(ADB_TYPE.int32, this.writeData(bytes, 4));
    }
    return tag(ADB_TYPE.int, Number(n));
  }

  /**
   * An object (or array) from its slots, `slots[0]` unused: trailing NULL slots are trimmed and an
   * object with none left is NULL. mkpkg and mkndx write arrays with the object type too.
   */
  object(slots: readonly number[], type: number = ADB_TYPE.object): number {
    let count = slots.length;
    while (count > 1 && (slots[count - 1] ?? ADB_NULL) === ADB_NULL) count--;
    if (count <= 1) return ADB_NULL;
    const bytes = Buffer.alloc(count * 4);
    bytes.writeUInt32LE(count, 0);
    for (let i = 1; i < count; i++) bytes.writeUInt32LE(slots[i] ?? ADB_NULL, i * 4);
    return tag(type, this.writeData(bytes, 4));
  }

  /** Copies bytes of a value (already in ADB form) under the same dedup rules: adb_w_copy's leaf case. */
  copyData(type: number, bytes: Buffer, alignment: number): number {
    return tag(type, this.writeData(bytes, alignment));
  }
}

/** A slot list of `max` entries (index 0 is the count slot), filled by field number. */
export function slots(max: number): number[] {
  return new Array<number>(max).fill(ADB_NULL);
}
