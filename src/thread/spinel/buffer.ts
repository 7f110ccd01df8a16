/**
 * Spinel data types in one reader and one writer (spinel.h "Data Packing"): `C` u8, `c` i8, `S` u16,
 * `s` i16, `L` u32, `l` i32, `X` u64, `i` packed uint (7 bits per byte, low group first, high bit
 * = more), `b` bool, `E` EUI-64, `6` IPv6 address, `U` NUL-terminated UTF-8, `d` data with a u16
 * length, `D` data to the end. Multi-byte integers are little-endian.
 */
export class SpinelDecodeError extends Error {
  constructor(what: string, offset: number, length: number) {
    super(`spinel: cannot read ${what} at byte ${offset} of ${length}`);
    this.name = 'SpinelDecodeError';
  }
}

/** Largest value a packed uint may carry (spinel limits it to 32 bits, at most 5 bytes). */
const PACKED_MAX_BYTES = 5;

export class SpinelReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get offset(): number { return this.at; }
  get remaining(): number { return this.bytes.length - this.at; }

  private take(count: number, what: string): number {
    if (this.at + count > this.bytes.length) throw new SpinelDecodeError(what, this.at, this.bytes.length);
    const start = this.at;
    this.at += count;
    return start;
  }

  private view(count: number, what: string): DataView {
    const start = this.take(count, what);
    return new DataView(this.bytes.buffer, this.bytes.byteOffset + start, count);
  }

  u8(): number { return this.bytes[this.take(1, 'u8')]!; }
  i8(): number { return this.view(1, 'i8').getInt8(0); }
  u16(): number { return this.view(2, 'u16').getUint16(0, true); }
  i16(): number { return this.view(2, 'i16').getInt16(0, true); }
  u32(): number { return this.view(4, 'u32').getUint32(0, true); }
  i32(): number { return this.view(4, 'i32').getInt32(0, true); }
  u64(): bigint { return this.view(8, 'u64').getBigUint64(0, true); }
  bool(): boolean { return this.u8() !== 0; }

  packed(): number {
    const start = this.at;
    let value = 0;
    for (let i = 0; i < PACKED_MAX_BYTES; i++) {
      const byte = this.bytes[this.take(1, 'packed uint')]!;
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) return value;
    }
    throw new SpinelDecodeError('packed uint (more than 5 bytes)', start, this.bytes.length);
  }

  eui64(): string { return this.hex(8, 'EUI-64'); }
  ipv6(): Uint8Array { return this.raw(16, 'IPv6 address'); }

  utf8(): string {
    const end = this.bytes.indexOf(0, this.at);
    const stop = end < 0 ? this.bytes.length : end;
    const text = Buffer.from(this.bytes.subarray(this.at, stop)).toString('utf8');
    this.at = end < 0 ? stop : stop + 1;
    return text;
  }

  data(): Uint8Array { return this.raw(this.u16(), 'data'); }
  rest(): Uint8Array { return this.raw(this.remaining, 'data'); }

  raw(count: number, what = 'bytes'): Uint8Array {
    const start = this.take(count, what);
    return this.bytes.subarray(start, start + count);
  }

  hex(count: number, what: string): string {
    return Buffer.from(this.raw(count, what)).toString('hex');
  }
}

export class SpinelWriter {
  private readonly parts: number[] = [];

  u8(value: number): this { this.parts.push(value & 0xff); return this; }
  i8(value: number): this { return this.u8(value < 0 ? value + 256 : value); }
  u16(value: number): this { return this.u8(value).u8(value >>> 8); }
  i16(value: number): this { return this.u16(value < 0 ? value + 65536 : value); }
  u32(value: number): this { return this.u16(value & 0xffff).u16(Math.floor(value / 65536) & 0xffff); }
  bool(value: boolean): this { return this.u8(value ? 1 : 0); }

  packed(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`spinel: packed uint out of range: ${value}`);
    let rest = value;
    while (rest >= 0x80) {
      this.u8((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    return this.u8(rest);
  }

  bytes(value: Uint8Array): this {
    for (const byte of value) this.parts.push(byte);
    return this;
  }

  hex(value: string): this { return this.bytes(Buffer.from(value, 'hex')); }
  utf8(value: string): this { return this.bytes(Buffer.from(value, 'utf8')).u8(0); }
  data(value: Uint8Array): this { return this.u16(value.length).bytes(value); }

  toBuffer(): Buffer { return Buffer.from(this.parts); }
}
