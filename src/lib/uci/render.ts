import type { UciPackage, UciSection, UciValue } from './types.js';

/** Single-quotes a value the way uci writes it: `'` becomes `'\''`. */
export function quoteUci(value: string): string {
  return `'${value.split("'").join("'\\''")}'`;
}

export interface ExportOptions {
  /** `package <name>` first (`uci export`); `uci commit` writes the file without it. */
  header?: boolean;
  /** Also name anonymous sections (`uci -n export`). */
  nameAnonymous?: boolean;
}

/** The text of `uci export` / the file `uci commit` writes. */
export function renderPackage(pkg: UciPackage, options: ExportOptions = {}): string {
  const out: string[] = [];
  if (options.header) out.push(`package ${pkg.name}\n`);
  for (const section of pkg.sections) {
    out.push(`\nconfig ${section.type}`);
    if (!section.anonymous || options.nameAnonymous) out.push(` ${quoteUci(section.name)}`);
    out.push('\n');
    for (const [name, value] of section.options) {
      if (typeof value === 'string') out.push(`\toption ${name} ${quoteUci(value)}\n`);
      else for (const item of value) out.push(`\tlist ${name} ${quoteUci(item)}\n`);
    }
  }
  out.push('\n');
  return out.join('');
}

/** What `uci commit` writes to `/etc/config/<package>`. */
export function renderConfigFile(pkg: UciPackage): string {
  return renderPackage(pkg, { header: false });
}

/** `uci show` value part: every item quoted, list items joined by the delimiter. */
export function showValue(value: UciValue, delimiter = ' '): string {
  return typeof value === 'string' ? quoteUci(value) : value.map(quoteUci).join(delimiter);
}

/** `uci get` value part: lists quote only items with whitespace. */
export function getValue(value: UciValue, delimiter = ' '): string {
  if (typeof value === 'string') return value;
  return value.map((item) => (/[ \t\r\n]/.test(item) ? quoteUci(item) : item)).join(delimiter);
}

/** `@type[n]` references as `uci show` prints them (n counts named sections of the type too). */
export function sectionRefs(pkg: UciPackage, extended = true): Map<UciSection, string> {
  const counters = new Map<string, number>();
  const refs = new Map<UciSection, string>();
  for (const section of pkg.sections) {
    const index = counters.get(section.type) ?? 0;
    counters.set(section.type, index + 1);
    refs.set(section, extended && section.anonymous ? `@${section.type}[${index}]` : section.name);
  }
  return refs;
}

export function showSection(pkgName: string, section: UciSection, ref: string, delimiter = ' '): string {
  let out = `${pkgName}.${ref}=${section.type}\n`;
  for (const [name, value] of section.options) out += `${pkgName}.${ref}.${name}=${showValue(value, delimiter)}\n`;
  return out;
}

/** The text of `uci show <package>`. */
export function showPackage(pkg: UciPackage, options: { extended?: boolean; delimiter?: string } = {}): string {
  const refs = sectionRefs(pkg, options.extended ?? true);
  return pkg.sections.map((section) => showSection(pkg.name, section, refs.get(section) as string, options.delimiter)).join('');
}
