import { describe, expect, it } from 'vitest';
import { blobmsgFieldsToObject } from '../../../src/lib/ubus/blobmsg-js.js';
import { decodeMessage, encodeMessage, getAttr, msgTypeName, UBUS_ATTR } from '../../../src/lib/ubus/message.js';
import { loadScenario, scenarioFiles } from './captures.js';

describe('every captured ubus message', () => {
  const files = scenarioFiles();

  it('finds the scenario files', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  for (const file of files) {
    it(`${file}: decodes and re-encodes byte for byte`, () => {
      for (const captured of loadScenario(file)) {
        const bytes = Buffer.from(captured.hex, 'hex');
        const message = decodeMessage(bytes);
        expect(msgTypeName(message.type)).toBe(captured.type);
        expect(message.seq).toBe(captured.seq);
        expect(message.peer).toBe(captured.peer);
        expect(encodeMessage(message).toString('hex')).toBe(captured.hex);
        const names = message.attrs.map((item) => item.name);
        expect(names).toEqual(captured.decoded.blob.attrs.map((item) => item.attr));
        for (const [index, expected] of captured.decoded.blob.attrs.entries()) {
          expect(UBUS_ATTR[names[index]!]).toBe(expected.id);
          const actual = message.attrs[index]!;
          if (actual.name === 'DATA' || actual.name === 'SIGNATURE') {
            expect(blobmsgFieldsToObject(actual.value)).toEqual(expected.json);
          } else if (actual.name === 'SUBSCRIBERS') {
            expect(actual.value).toEqual(expected.children!.map((child) => child.value));
          } else if (actual.name === 'OBJID' || actual.name === 'OBJTYPE' || actual.name === 'TARGET') {
            expect(actual.value | 0).toBe(expected.value);
          } else {
            expect(actual.value).toEqual(expected.value);
          }
        }
      }
    });
  }

  it('reads the status of a STATUS reply', () => {
    const [status] = loadScenario('err_not_found_lookup.json').filter((item) => item.type === 'STATUS');
    expect(getAttr(decodeMessage(Buffer.from(status!.hex, 'hex')), 'STATUS')).toBe(4);
  });

  it('rejects a message whose blob length disagrees with its size', () => {
    expect(() => decodeMessage(Buffer.from('00000000fcb766a800000008', 'hex'))).toThrow(/length/);
    expect(() => decodeMessage(Buffer.from('01000000fcb766a800000004', 'hex'))).toThrow(/version/);
  });
});
