/**
 * LuCI's compiled translation format (.lmo), as luci-base's po2lmo writes it: the translated
 * strings, each padded to 4 bytes; then an index of (key hash, plural count, offset, length)
 * sorted by key hash, all u32 big-endian; then the index offset. Keys are hashed with Paul Hsieh's
 * SuperFastHash seeded with the length; contexts join with \x01, plural forms append \x02<n>.
 */

/** SuperFastHash as lmo.c computes it (little-endian 16-bit reads, signed tail bytes). */
export function sfhHash(data: Uint8Array): number {
  const get16 = (at: number) => data[at]! + (data[at + 1]! << 8);
  const signed = (byte: number) => (byte << 24) >> 24;
  let hash = data.length >>> 0;
  if (data.length === 0) return 0;
  let at = 0;
  for (let blocks = data.length >> 2; blocks > 0; blocks -= 1) {
    hash = (hash + get16(at)) >>> 0;
    const tmp = ((get16(at + 2) << 11) ^ hash) >>> 0;
    hash = ((hash << 16) ^ tmp) >>> 0;
    at += 4;
    hash = (hash + (hash >>> 11)) >>> 0;
  }
  switch (data.length & 3) {
    case 3:
      hash = (hash + get16(at)) >>> 0;
      hash = (hash ^ (hash << 16)) >>> 0;
      hash = (hash ^ (signed(data[at + 2]!) << 18)) >>> 0;
      hash = (hash + (hash >>> 11)) >>> 0;
      break;
    case 2:
      hash = (hash + get16(at)) >>> 0;
      hash = (hash ^ (hash << 11)) >>> 0;
      hash = (hash + (hash >>> 17)) >>> 0;
      break;
    case 1:
      hash = (hash + signed(data[at]!)) >>> 0;
      hash = (hash ^ (hash << 10)) >>> 0;
      hash = (hash + (hash >>> 1)) >>> 0;
      break;
    default:
      break;
  }
  hash = (hash ^ (hash << 3)) >>> 0;
  hash = (hash + (hash >>> 5)) >>> 0;
  hash = (hash ^ (hash << 4)) >>> 0;
  hash = (hash + (hash >>> 17)) >>> 0;
  hash = (hash ^ (hash << 25)) >>> 0;
  hash = (hash + (hash >>> 6)) >>> 0;
  return hash;
}

interface PoMessage { ctxt?: string; id?: string; idPlural?: string; values: string[] }

/** A quoted po string the way po2lmo reads it: `\"` and `\\` unescaped, other escapes kept verbatim. */
function poString(line: string): string {
  const start = line.indexOf('"');
  if (start < 0) return '';
  let text = '';
  for (let i = start + 1; i < line.length; i += 1) {
    const ch = line[i]!;
    if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) { text += line[i + 1]; i += 1; }
    else if (ch === '\\' && i + 1 < line.length) { text += ch + line[i + 1]; i += 1; }
    else if (ch === '"') break;
    else text += ch;
  }
  return text;
}

export function parsePo(text: string): PoMessage[] {
  const messages: PoMessage[] = [];
  let current: PoMessage = { values: [] };
  let field: ((value: string) => void) | undefined;
  const flush = () => {
    if (current.id !== undefined || current.values.length) messages.push(current);
    current = { values: [] };
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    if (line.startsWith('msgctxt "')) {
      flush();
      current.ctxt = '';
      field = (value) => { current.ctxt += value; };
    } else if (line.startsWith('msgid "')) {
      if (current.id !== undefined || current.values.length) flush();
      current.id = '';
      field = (value) => { current.id += value; };
    } else if (line.startsWith('msgid_plural "')) {
      current.idPlural = '';
      field = (value) => { current.idPlural += value; };
    } else if (/^msgstr(\[\d\])? "/.test(line)) {
      const index = line[6] === '[' ? Number(line[7]) : 0;
      current.values[index] = '';
      field = (value) => { current.values[index] += value; };
    } else if (!line.startsWith('"')) {
      continue;
    }
    field?.(poString(line));
  }
  flush();
  return messages;
}

/** The .lmo bytes for a .po text; undefined when nothing is translated (po2lmo writes no file). */
export function compileLmo(poText: string): Buffer | undefined {
  const strings: Buffer[] = [];
  const index: Array<[number, number, number, number]> = [];
  let offset = 0;
  const add = (keyId: number, valId: number, value: Buffer) => {
    index.push([keyId, valId, offset, value.length]);
    const padded = Buffer.concat([value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
    strings.push(padded);
    offset += padded.length;
  };
  for (const message of parsePo(poText)) {
    if (message.id && message.values[0]) {
      message.values.forEach((value, i) => {
        if (!value) return;
        let key = message.id!;
        if (message.ctxt && message.idPlural) key = `${message.ctxt}\x01${message.id}\x02${i}`;
        else if (message.ctxt) key = `${message.ctxt}\x01${message.id}`;
        else if (message.idPlural) key = `${message.id}\x02${i}`;
        const keyId = sfhHash(Buffer.from(key));
        const bytes = Buffer.from(value);
        if (keyId !== sfhHash(bytes)) add(keyId, message.values.length, bytes);
      });
    } else if (message.values[0]) {
      const plural = message.values[0].split('\\n').find((header) => /^Plural-Forms: /i.test(header));
      if (plural) add(0, 0, Buffer.from(plural.slice('Plural-Forms: '.length)));
    }
  }
  if (offset === 0) return undefined;
  index.sort((a, b) => a[0] - b[0]);
  const table = Buffer.alloc(index.length * 16 + 4);
  index.forEach((entry, i) => entry.forEach((value, j) => table.writeUInt32BE(value, i * 16 + j * 4)));
  table.writeUInt32BE(offset, index.length * 16);
  return Buffer.concat([...strings, table]);
}
