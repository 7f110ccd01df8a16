import { describe, expect, it } from 'vitest';
import { BlobWriter } from '../../../src/lib/ubus/blob-buffer.js';
import { decodeBlobmsgFields, encodeBlobmsgFields, writeBlobmsgFields } from '../../../src/lib/ubus/blobmsg.js';
import { formatBlobmsgJson, formatDoubleLikeC } from '../../../src/lib/ubus/blobmsg-format.js';
import { blobmsgFieldsToObject, blobmsgTyped, jsObjectToBlobmsg } from '../../../src/lib/ubus/blobmsg-js.js';
import { parseJsonObjectToBlobmsg } from '../../stand-ins/ubus-cli/json-c-parse.js';
import { loadJson, type BlobmsgRecord } from './captures.js';

const records = loadJson<BlobmsgRecord[]>('blobmsg.json');

function bufHead(payload: Buffer): string {
  const writer = new BlobWriter();
  const start = writer.openAttr(0, false);
  writer.writeBytes(payload);
  writer.closeAttr(start);
  return writer.toBuffer().toString('hex');
}

describe('blobmsg.json: JSON inputs (blobmsg_add_json_from_string)', () => {
  for (const record of records.filter((item) => item.input !== undefined)) {
    it(`${record.input!.slice(0, 60)}`, () => {
      if (!record.accepted) {
        expect(() => parseJsonObjectToBlobmsg(record.input!)).toThrow();
        return;
      }
      const fields = parseJsonObjectToBlobmsg(record.input!);
      const payload = encodeBlobmsgFields(fields);
      expect(payload.toString('hex')).toBe(record.payload_hex);
      expect(bufHead(payload)).toBe(record.buf_head_hex);
      const decoded = decodeBlobmsgFields(Buffer.from(record.payload_hex!, 'hex'));
      expect(encodeBlobmsgFields(decoded).toString('hex')).toBe(record.payload_hex);
      expect(formatBlobmsgJson(decoded)).toBe(record.format_json);
      expect(formatBlobmsgJson(decoded, 0)).toBe(record.format_json_indent0);
    });
  }
});

describe('blobmsg.json: C API records', () => {
  for (const record of records.filter((item) => item.c_api !== undefined)) {
    it(record.c_api!, () => {
      const decoded = decodeBlobmsgFields(Buffer.from(record.payload_hex!, 'hex'));
      expect(encodeBlobmsgFields(decoded).toString('hex')).toBe(record.payload_hex);
      expect(bufHead(encodeBlobmsgFields(decoded))).toBe(record.buf_head_hex);
      expect(formatBlobmsgJson(decoded)).toBe(record.format_json);
    });
  }
});

describe('JS values to blobmsg (blobmsg_add_json rules)', () => {
  const payloadOf = (input: string): string => records.find((item) => item.input === input)!.payload_hex!;

  it('encodes plain JS objects like the captured JSON inputs', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ s: 'hello' }, '{"s":"hello"}'],
      [{ t: true, f: false }, '{"t":true,"f":false}'],
      [{ i: 2147483647 }, '{"i":2147483647}'],
      [{ i: -2147483649 }, '{"i":-2147483649}'],
      [{ i: 9223372036854775807n }, '{"i":9223372036854775807}'],
      [{ i: 18446744073709551616n }, '{"i":18446744073709551616}'],
      [{ d: 3.14 }, '{"d":3.14}'],
      [{ d: blobmsgTyped('double', 1) }, '{"d":1.0}'],
      [{ n: null }, '{"n":null}'],
      [{ a: [1, 'x', true, null, 1.5, { k: 'v' }, [], [2]] }, '{"a":[1,"x",true,null,1.5,{"k":"v"},[],[2]]}'],
      [{ e: {} }, '{"e":{}}'],
      [{ '': 'empty name' }, '{"":"empty name"}'],
    ];
    for (const [value, input] of cases) expect(encodeBlobmsgFields(jsObjectToBlobmsg(value)).toString('hex')).toBe(payloadOf(input));
  });

  it('encodes explicit int8/int16/int64 as the C API does', () => {
    const cApi = (prefix: string): string => records.find((item) => item.c_api?.startsWith(prefix))!.payload_hex!;
    expect(encodeBlobmsgFields(jsObjectToBlobmsg({ i8: blobmsgTyped('int8', 0x7f) })).toString('hex')).toBe(cApi('blobmsg_add_u8("i8", 0x7f)'));
    expect(encodeBlobmsgFields(jsObjectToBlobmsg({ i16: blobmsgTyped('int16', -2) })).toString('hex')).toBe(cApi('blobmsg_add_u16("i16", 0xfffe)'));
    expect(encodeBlobmsgFields(jsObjectToBlobmsg({ i64: blobmsgTyped('int64', 5) })).toString('hex')).toBe(cApi('blobmsg_add_u64("i64", 5)'));
  });

  it('decodes to JS: int8 -> boolean, big int64 -> string, small int64 -> number', () => {
    const decoded = blobmsgFieldsToObject(parseJsonObjectToBlobmsg('{"b":true,"big":9223372036854775807,"small":5000000000,"d":1.5,"n":null}'));
    expect(decoded).toEqual({ b: true, big: '9223372036854775807', small: 5000000000, d: 1.5, n: null });
  });

  it('writes array members without names even when given names', () => {
    const writer = new BlobWriter();
    writeBlobmsgFields(writer, [{ type: 'array', name: 'a', value: [{ type: 'int32', name: 'x', value: 1 }] }]);
    expect(blobmsgFieldsToObject(decodeBlobmsgFields(writer.toBuffer()))).toEqual({ a: [1] });
  });

  it('formats doubles like printf %lf, ties to even', () => {
    expect(formatDoubleLikeC(0.0078125)).toBe('0.007812');
    expect(formatDoubleLikeC(-0)).toBe('-0.000000');
    expect(formatDoubleLikeC(123456789.123456789)).toBe('123456789.123457');
  });
});
