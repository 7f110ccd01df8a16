import { describe, expect, it } from 'vitest';
import { compileLmo, parsePo, sfhHash } from '../../../tools/feed/lmo.js';

// Reference values printed by lmo.c's sfh_hash (compiled C) for the same UTF-8 bytes.
const REFERENCE: Array<[string, number]> = [
  ['a', 291415938], ['ab', 1366002500], ['abc', 3535673738], ['abcd', 3671636187], ['Telemetry', 4215728348],
  ['Status', 1714641353], ['Configuración', 3542155074], ['ctx\x01Save', 1410224304], ['é', 3304826196],
  ['ñu', 3160782123], ['x\x021', 443367787], ['Spé', 67269387],
];

/** Looks a key up in .lmo bytes as LuCI's lmo reader does: by hash in the index. */
function lookup(lmo: Buffer, key: string): string | undefined {
  const indexAt = lmo.readUInt32BE(lmo.length - 4);
  const id = sfhHash(Buffer.from(key));
  for (let at = indexAt; at < lmo.length - 4; at += 16) {
    if (lmo.readUInt32BE(at) === id) {
      const offset = lmo.readUInt32BE(at + 8);
      return lmo.subarray(offset, offset + lmo.readUInt32BE(at + 12)).toString('utf8');
    }
  }
  return undefined;
}

const PO = `msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#: htdocs/luci-static/resources/view/smartgrid/overview.js:12
msgid "Telemetry"
msgstr "Telemetría"

msgctxt "button"
msgid "Save"
msgstr "Guardar"

msgid "Say \\"hi\\""
msgstr "Di \\"hola\\""

msgid "%d meter"
msgid_plural "%d meters"
msgstr[0] "%d contador"
msgstr[1] "%d contadores"

msgid "Untranslated"
msgstr ""

msgid "Same"
msgstr "Same"
`;

describe('po2lmo equivalent', () => {
  it('hashes like lmo.c sfh_hash, signed tail bytes included', () => {
    for (const [text, hash] of REFERENCE) expect(sfhHash(Buffer.from(text)), text).toBe(hash);
  });

  it('parses messages, contexts and plurals', () => {
    const messages = parsePo(PO);
    expect(messages.find((m) => m.ctxt === 'button')).toMatchObject({ id: 'Save', values: ['Guardar'] });
    expect(messages.find((m) => m.idPlural)).toMatchObject({ id: '%d meter', values: ['%d contador', '%d contadores'] });
  });

  it('compiles strings, a sorted index and the trailing index offset', () => {
    const lmo = compileLmo(PO)!;
    expect(lookup(lmo, 'Telemetry')).toBe('Telemetría');
    expect(lookup(lmo, 'button\x01Save')).toBe('Guardar');
    expect(lookup(lmo, 'Say "hi"')).toBe('Di "hola"');
    expect(lookup(lmo, '%d meter\x020')).toBe('%d contador');
    expect(lookup(lmo, '%d meter\x021')).toBe('%d contadores');
    expect(lookup(lmo, 'Untranslated')).toBeUndefined();
    expect(lookup(lmo, 'Same')).toBeUndefined();
    const indexAt = lmo.readUInt32BE(lmo.length - 4);
    expect(indexAt % 4).toBe(0);
    const ids: number[] = [];
    for (let at = indexAt; at < lmo.length - 4; at += 16) ids.push(lmo.readUInt32BE(at));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBe(0);
    const plural = lmo.subarray(lmo.readUInt32BE(indexAt + 8), lmo.readUInt32BE(indexAt + 8) + lmo.readUInt32BE(indexAt + 12));
    expect(plural.toString()).toBe('nplurals=2; plural=(n != 1);');
  });

  it('writes nothing for a catalogue without translations', () => {
    expect(compileLmo('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')).toBeUndefined();
  });
});
