import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Update, crc32UpdateJs, nativeCrc32Update } from '../../../src/telemetry/queue/crc32.js';
import { HEADER_BYTES, RecordKind, checksumMatches, decodeAckRanges, decodeHeader, encodeAck, encodeData, encodeSegmentStart } from '../../../src/telemetry/queue/record-codec.js';

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    const zlibCrc = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32;
    for (let length = 0; length < 70; length++) {
      const data = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length) & 0xff));
      const expected = zlibCrc ? zlibCrc(data) : crc32Update(crc32Update(0, data, 0, length >> 1), data, length >> 1);
      expect(crc32(data)).toBe(expected);
    }
  });

  it('continues across split ranges', () => {
    const data = Buffer.from('the quick brown fox jumps over the lazy dog');
    expect(crc32Update(crc32Update(0, data, 0, 7), data, 7)).toBe(crc32(data));
  });

  it('gives the same values with the table version (node 18) and with zlib.crc32 (node >= 20.15)', () => {
    const data = Buffer.alloc(4096);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff;
    const window = data.subarray(100);
    expect(crc32UpdateJs(0, Buffer.from('123456789'))).toBe(0xcbf43926);
    const zlibCrc = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
    const viaNative = zlibCrc ? nativeCrc32Update(zlibCrc) : undefined;
    for (const [start, end] of [[0, 0], [0, 20], [24, 31], [24, 32], [24, 200], [3, 3000], [0, window.length]]) {
      const expected = crc32UpdateJs(0x1234abcd, window, start, end);
      expect(crc32Update(0x1234abcd, window, start, end)).toBe(expected);
      if (viaNative) expect(viaNative(0x1234abcd, window, start, end)).toBe(expected);
    }
  });
});

describe('record codec', () => {
  it('round-trips a data record with a 24-byte header', () => {
    const key = Buffer.from('meter-ä1');
    const payload = Buffer.from('{"v":1}');
    const encoded = encodeData(2 ** 40 + 5, 'event', key, payload, 1_732_190_000_123);
    expect(encoded.length).toBe(HEADER_BYTES + key.length + payload.length);
    const header = decodeHeader(encoded, 0);
    expect(header).toMatchObject({ kind: RecordKind.Data, priority: 1, keyLength: key.length, bodyLength: payload.length, seq: 2 ** 40 + 5, time: 1_732_190_000_123 });
    expect(checksumMatches(encoded, 0, header!)).toBe(true);
  });

  it('detects any single flipped bit', () => {
    const encoded = encodeData(7, 'telemetry', Buffer.from('m'), Buffer.from('payload bytes'), 1000);
    for (let bit = 0; bit < encoded.length * 8; bit++) {
      const damaged = Buffer.from(encoded);
      damaged[bit >> 3] ^= 1 << (bit & 7);
      const header = decodeHeader(damaged, 0);
      expect(header !== null && checksumMatches(damaged, 0, header)).toBe(false);
    }
  });

  it('round-trips ack ranges and segment starts', () => {
    const ack = encodeAck(2, [[1, 5], [9, 2 ** 45]], 77, 1);
    const header = decodeHeader(ack, 0)!;
    expect(header.kind).toBe(RecordKind.Ack);
    expect(header.seq).toBe(77);
    expect(decodeAckRanges(ack.subarray(HEADER_BYTES))).toEqual([[1, 5], [9, 2 ** 45]]);
    const start = decodeHeader(encodeSegmentStart(42, 5), 0)!;
    expect(start).toMatchObject({ kind: RecordKind.SegmentStart, seq: 42, bodyLength: 0 });
  });

  it('rejects foreign bytes as a header', () => {
    expect(decodeHeader(Buffer.alloc(HEADER_BYTES), 0)).toBeNull();
    expect(decodeHeader(Buffer.from('SQ'), 0)).toBeNull();
  });
});
