import { encode as encodeCbor } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { crc16CcittFalse } from '../../../../src/thread/coap/crc16.js';
import { decodeFrame, encodeFrame, FrameError, MAX_FRAME_BYTES, type ReadingFrame } from '../../../../src/thread/coap/frame.js';
import { CONTENT_FORMAT, decodeReading, RejectError } from '../../../../src/thread/coap/payload.js';

const FRAME: ReadingFrame = {
  eui64: '18b4300000000002', meter: 'meter-17', timestamp: 1_765_000_000,
  values: [{ obis: [1, 8, 0], scaler: -1, raw: 123456 }, { obis: [32, 7, 0], scaler: -1, raw: 2301 }, { obis: [2, 7, 0], scaler: 0, raw: -5 }],
};

function rejectOf(action: () => unknown): RejectError {
  try { action(); } catch (error) { if (error instanceof RejectError) return error; throw error; }
  throw new Error('no reject');
}

describe('CRC-16/CCITT-FALSE', () => {
  it('has the check value 0x29B1 for "123456789" and 0xFFFF (the init) for nothing', () => {
    expect(crc16CcittFalse(Buffer.from('123456789', 'ascii'))).toBe(0x29b1);
    expect(crc16CcittFalse(Buffer.alloc(0))).toBe(0xffff);
  });
});

describe('binary reading frame', () => {
  it('is laid out byte by byte as documented', () => {
    const bytes = encodeFrame(FRAME);
    expect(bytes[0]).toBe(0x01);
    expect(bytes.subarray(1, 9).toString('hex')).toBe('18b4300000000002');
    expect(bytes[9]).toBe(8);
    expect(bytes.subarray(10, 18).toString('ascii')).toBe('meter-17');
    expect(bytes.readUInt32BE(18)).toBe(1_765_000_000);
    expect(bytes[22]).toBe(3);
    expect(bytes.subarray(23, 31).toString('hex')).toBe('010800ff0001e240');
    expect(bytes.length).toBe(23 + 3 * 8 + 2);
    expect(MAX_FRAME_BYTES).toBe(337);
    expect(bytes.readUInt16BE(bytes.length - 2)).toBe(crc16CcittFalse(bytes, 0, bytes.length - 2));
    expect(decodeFrame(bytes)).toEqual(FRAME);
  });

  it('encodes the example of docs/thread.md byte for byte', () => {
    const example = encodeFrame({ eui64: '18b4300000000002', meter: 'meter-17', timestamp: 1_765_000_000, values: [{ obis: [1, 8, 0], scaler: -1, raw: 123456 }] });
    expect(example.toString('hex')).toBe('01' + '18b4300000000002' + '08' + '6d657465722d3137' + '6933c340' + '01' + '010800' + 'ff' + '0001e240' + '7f29');
  });

  it('refuses a bad CRC, naming both values', () => {
    const bytes = encodeFrame(FRAME);
    bytes[12] ^= 0x01;
    expect(() => decodeFrame(bytes)).toThrow(FrameError);
    expect(() => decodeFrame(bytes)).toThrow(/^bad CRC: frame says 0x[0-9a-f]{4}, CRC-16\/CCITT-FALSE of its 47 bytes is 0x[0-9a-f]{4}$/);
  });

  it('refuses truncated, oversized, wrong-version and inconsistent frames with their reason', () => {
    const bytes = encodeFrame(FRAME);
    const reason = (data: Buffer) => { try { decodeFrame(data); } catch (error) { return (error as FrameError).reason; } return 'ok'; };
    expect(reason(bytes.subarray(0, 20))).toBe('truncated');
    expect(reason(Buffer.concat([bytes, Buffer.alloc(MAX_FRAME_BYTES)]))).toBe('too-large');
    const v2 = Buffer.from(bytes); v2[0] = 2;
    expect(reason(v2)).toBe('version');
    // A frame cut after a value, with a valid CRC over what is left: the count says more.
    const cut = Buffer.from(bytes.subarray(0, bytes.length - 2 - 8));
    const resealed = Buffer.concat([cut, Buffer.alloc(2)]);
    resealed.writeUInt16BE(crc16CcittFalse(resealed, 0, resealed.length - 2), resealed.length - 2);
    expect(reason(resealed)).toBe('truncated');
    expect(() => encodeFrame({ ...FRAME, values: [] })).toThrow(/1\.\.32 values/);
  });
});

describe('decoding what a node POSTs', () => {
  const now = 1_765_000_123_000;

  it('binary frame -> obis values scaled, ts in ms, the EUI-64', () => {
    const decoded = decodeReading(encodeFrame(FRAME), CONTENT_FORMAT.octetStream, 1024, now);
    expect(decoded).toEqual({ encoding: 'binary', eui64: '18b4300000000002', reading: { ts: 1_765_000_000_000, meter: 'meter-17', obis: { '1-0:1.8.0': 12345.6, '1-0:32.7.0': 230.1, '1-0:2.7.0': -5 } } });
    expect(decodeReading(encodeFrame({ ...FRAME, timestamp: 0 }), undefined, 1024, now).reading.ts).toBe(now);
  });

  it('JSON and CBOR -> the reading, receive time when the node sent none, eui64 taken out', () => {
    const body = { meter: 'meter-9', eui64: '18B4300000000003', values: { v: 230.1 } };
    expect(decodeReading(Buffer.from(JSON.stringify(body)), CONTENT_FORMAT.json, 1024, now)).toEqual({ encoding: 'json', eui64: '18b4300000000003', reading: { ts: now, meter: 'meter-9', values: { v: 230.1 } } });
    expect(decodeReading(encodeCbor({ ts: 1_765_000_000, values: { v: 1 } }), CONTENT_FORMAT.cbor, 1024, now)).toEqual({ encoding: 'cbor', reading: { ts: 1_765_000_000, values: { v: 1 } } });
    expect(decodeReading(encodeCbor({ values: { v: 1 } }), undefined, 1024, now).encoding).toBe('cbor');
  });

  it('rejects with a reason and a message that says what is wrong', () => {
    const json = (text: string) => rejectOf(() => decodeReading(Buffer.from(text), CONTENT_FORMAT.json, 64, now));
    expect(json('{"values":')).toMatchObject({ reason: 'decode-json', message: expect.stringMatching(/^invalid JSON: /) });
    expect(json('{"values":{"v":"x"},"extra":1}')).toMatchObject({ reason: 'schema', message: "reading (root) must NOT have additional properties 'extra'" });
    expect(json('[{"values":{"v":1}}]')).toMatchObject({ reason: 'schema', message: 'a JSON reading must be one object (a map), not an array' });
    expect(json('{"meter":"a b","values":{"v":1}}')).toMatchObject({ reason: 'schema', message: expect.stringContaining('/meter must match pattern') });
    expect(json('{"eui64":"xyz","values":{"v":1}}')).toMatchObject({ reason: 'schema', message: '/eui64 must be 16 hexadecimal digits' });
    expect(json(`{"values":{"v":"${'x'.repeat(80)}"}}`)).toMatchObject({ reason: 'too-large', message: 'payload of 99 bytes exceeds 64' });
    expect(rejectOf(() => decodeReading(Buffer.from([0xa1, 0x61]), CONTENT_FORMAT.cbor, 64, now))).toMatchObject({ reason: 'decode-cbor' });
    expect(rejectOf(() => decodeReading(encodeCbor([1, 2]), CONTENT_FORMAT.cbor, 64, now))).toMatchObject({ reason: 'schema', message: 'a CBOR reading must be one object (a map), not an array' });
    expect(rejectOf(() => decodeReading(Buffer.from('x'), 0, 64, now))).toMatchObject({ reason: 'content-format', message: 'Content-Format 0 is not one of 42 (binary frame), 50 (JSON), 60 (CBOR)' });
    expect(rejectOf(() => decodeReading(Buffer.alloc(0), undefined, 64, now))).toMatchObject({ reason: 'empty' });
    expect(rejectOf(() => decodeReading(encodeFrame(FRAME), CONTENT_FORMAT.octetStream, 32, now))).toMatchObject({ reason: 'too-large', message: 'payload of 49 bytes exceeds 32' });
    const bad = encodeFrame(FRAME); bad[30] ^= 0xff;
    expect(rejectOf(() => decodeReading(bad, CONTENT_FORMAT.octetStream, 1024, now))).toMatchObject({ reason: 'bad-crc' });
  });
});
