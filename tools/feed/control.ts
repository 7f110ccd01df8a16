/** opkg control files: rendering in OpenWrt's field order, parsing, and feed index stanzas. */
import { createHash } from 'node:crypto';

export interface ControlFields {
  Package: string;
  Version: string;
  Depends?: readonly string[];
  Source: string;
  SourceName?: string;
  License: string;
  Section: string;
  SourceDateEpoch?: number;
  Maintainer: string;
  Architecture: string;
  'Installed-Size': number;
  /** First line is the summary; further lines become continuation lines (leading space). */
  Description: string;
}

/** Field order of OpenWrt's include/package-ipkg.mk, with Description last. */
export function renderControl(fields: ControlFields): string {
  const lines: string[] = [`Package: ${fields.Package}`, `Version: ${fields.Version}`];
  if (fields.Depends?.length) lines.push(`Depends: ${fields.Depends.join(', ')}`);
  lines.push(`Source: ${fields.Source}`);
  if (fields.SourceName) lines.push(`SourceName: ${fields.SourceName}`);
  lines.push(`License: ${fields.License}`, `Section: ${fields.Section}`);
  if (fields.SourceDateEpoch !== undefined) lines.push(`SourceDateEpoch: ${fields.SourceDateEpoch}`);
  lines.push(`Maintainer: ${fields.Maintainer}`, `Architecture: ${fields.Architecture}`);
  lines.push(`Installed-Size: ${fields['Installed-Size']}`);
  const [summary, ...more] = fields.Description.trim().split('\n');
  lines.push(`Description: ${summary!.trim()}`, ...more.map((line) => ` ${line.trim() || '.'}`));
  for (const line of lines) {
    if (/[\r]/.test(line)) throw new Error(`control line contains a carriage return: ${line}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Field name -> value; continuation lines are joined to their field with '\n'. */
export function parseControl(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (!line) continue;
    if (/^\s/.test(line) && last) {
      fields.set(last, `${fields.get(last)}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed control line: '${line}'`);
    last = line.slice(0, colon);
    fields.set(last, line.slice(colon + 1).trim());
  }
  return fields;
}

/**
 * One `Packages` stanza, as scripts/ipkg-make-index.sh writes it: the control file with
 * Filename, Size and SHA256sum inserted before Description, then a blank line.
 */
export function indexStanza(control: string, filename: string, ipk: Uint8Array): string {
  const sha256 = createHash('sha256').update(ipk).digest('hex');
  const inserted = `Filename: ${filename}\nSize: ${ipk.length}\nSHA256sum: ${sha256}\n`;
  const lines = control.endsWith('\n') ? control : `${control}\n`;
  const at = lines.search(/^Description:/m);
  if (at < 0) throw new Error(`control of ${filename} has no Description`);
  return `${lines.slice(0, at)}${inserted}${lines.slice(at)}\n`;
}
