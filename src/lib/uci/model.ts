import { validateOptionName, validatePackageName, validateType } from './tokenizer.js';
import { UciError, findSection } from './types.js';
import type { UciPackage, UciSection } from './types.js';

export type UciCommand = 'add' | 'remove' | 'change' | 'rename' | 'reorder' | 'list_add' | 'list_del';

/** One staged change, as libuci keeps it and writes it to the save dir. */
export interface UciDelta {
  cmd: UciCommand;
  section: string;
  option?: string;
  value?: string;
}

/** `pkg.section.option=value` split the way `uci_parse_ptr` splits it. */
export interface UciPtr {
  package: string;
  section?: string;
  option?: string;
  value?: string;
  /** The section part is not a plain name (e.g. `@peer[0]`). */
  extended: boolean;
}

function validText(value: string): boolean {
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

export function parsePtr(text: string): UciPtr {
  const eq = text.indexOf('=');
  const value = eq >= 0 ? text.slice(eq + 1) : undefined;
  const parts = (eq >= 0 ? text.slice(0, eq) : text).split('.');
  if (parts.length > 3) throw new UciError('PARSE');
  const [pkg, section, option] = parts;
  if (!validatePackageName(pkg)) throw new UciError('PARSE');
  if (option !== undefined && !validateOptionName(option)) throw new UciError('PARSE');
  if (value !== undefined && !validText(value)) throw new UciError('PARSE');
  const extended = section !== undefined && !validateOptionName(section);
  return { package: pkg, section, option, value, extended };
}

/** Where a pointer landed: `complete` when every part it names exists. */
export interface Resolved {
  ptr: UciPtr;
  section?: UciSection;
  /** Resolved section name (the real name when the pointer used `@type[n]`). */
  sectionName?: string;
  hasOption: boolean;
  complete: boolean;
}

function lookupExtended(pkg: UciPackage, ref: string): UciSection | undefined {
  const match = /^@([^[]*)\[([^\]]*)\]$/.exec(ref);
  if (!match) throw new UciError('INVAL');
  const [, type, indexText] = match;
  if (!/^[-+]?\d+$/.test(indexText.trim()) || /\s$/.test(indexText)) throw new UciError('INVAL');
  if (type && !validateType(type)) throw new UciError('INVAL');
  const candidates = pkg.sections.filter((section) => !type || section.type === type);
  let index = Number.parseInt(indexText, 10);
  if (index < 0) index += candidates.length;
  return candidates[index];
}

export function resolve(pkg: UciPackage, ptr: UciPtr, extended = true): Resolved {
  if (ptr.section === undefined || ptr.section === '') return { ptr, hasOption: false, complete: true };
  let section: UciSection | undefined;
  if (ptr.extended) {
    if (!extended) throw new UciError('INVAL');
    section = lookupExtended(pkg, ptr.section);
  } else {
    section = findSection(pkg, ptr.section);
  }
  const sectionName = section ? section.name : ptr.extended ? undefined : ptr.section;
  if (!section) return { ptr, sectionName, hasOption: false, complete: false };
  if (ptr.option === undefined) return { ptr, section, sectionName, hasOption: false, complete: true };
  const hasOption = section.options.has(ptr.option);
  return { ptr, section, sectionName, hasOption, complete: hasOption };
}

/** djb2 over the type, masked like libuci's `djbhash`. */
export function typeHash(type: string): number {
  let hash = 5381;
  for (const c of Buffer.from(type, 'utf8')) {
    const signed = c > 127 ? c - 256 : c;
    hash = (Math.imul(hash, 33) + signed) >>> 0;
  }
  return hash & 0x7fffffff;
}

export function anonymousName(counter: number, type: string): string {
  return `cfg${counter.toString(16).padStart(2, '0')}${(typeHash(type) % 65536).toString(16).padStart(4, '0')}`;
}

function record(deltas: UciDelta[] | undefined, delta: UciDelta): void {
  deltas?.push(delta);
}

export function allocSection(pkg: UciPackage, type: string, name: string | undefined, at?: number): UciSection {
  pkg.sectionCounter++;
  const section: UciSection = { name: name ?? '', type, anonymous: !name, options: new Map() };
  if (at === undefined) pkg.sections.push(section);
  else pkg.sections.splice(at, 0, section);
  return section;
}

export function addSection(pkg: UciPackage, type: string, deltas?: UciDelta[]): UciSection {
  const section = allocSection(pkg, type, undefined);
  section.name = anonymousName(pkg.sectionCounter, type);
  record(deltas, { cmd: 'add', section: section.name, value: type });
  return section;
}

/** `uci set`: a section (value = type) or an option; an empty value deletes what exists. */
export function setValue(pkg: UciPackage, target: Resolved, deltas?: UciDelta[]): void {
  const { ptr } = target;
  const value = ptr.value;
  if (value === undefined) throw new UciError('INVAL');
  if (!target.section && !(ptr.option === undefined && target.sectionName)) throw new UciError('INVAL');
  if (ptr.option === undefined && value !== '' && !validateType(value)) throw new UciError('INVAL');
  if (value === '') {
    if (!target.complete) return;
    deleteEntry(pkg, target, deltas);
    return;
  }
  const sectionName = target.sectionName as string;
  if (ptr.option !== undefined) {
    const section = target.section as UciSection;
    const old = section.options.get(ptr.option);
    if (typeof old === 'string' && old === value) return;
    section.options.set(ptr.option, value);
  } else if (!target.section) {
    allocSection(pkg, value, sectionName);
  } else {
    const section = target.section;
    if (section.type === value) return;
    section.type = value;
  }
  record(deltas, { cmd: 'change', section: sectionName, option: ptr.option, value });
}

export function addList(pkg: UciPackage, target: Resolved, deltas?: UciDelta[]): void {
  const { ptr } = target;
  if (!target.section || ptr.value === undefined || ptr.option === undefined) throw new UciError('INVAL');
  const old = target.section.options.get(ptr.option);
  if (old === undefined) target.section.options.set(ptr.option, [ptr.value]);
  else if (typeof old === 'string') target.section.options.set(ptr.option, [old, ptr.value]);
  else old.push(ptr.value);
  record(deltas, { cmd: 'list_add', section: target.sectionName as string, option: ptr.option, value: ptr.value });
}

export function delList(pkg: UciPackage, target: Resolved, deltas?: UciDelta[]): void {
  const { ptr } = target;
  if (!target.section || ptr.value === undefined) throw new UciError('INVAL');
  if (ptr.option === undefined) return;
  const old = target.section.options.get(ptr.option);
  if (!Array.isArray(old)) return;
  record(deltas, { cmd: 'list_del', section: target.sectionName as string, option: ptr.option, value: ptr.value });
  const kept = old.filter((item) => item !== ptr.value);
  old.splice(0, old.length, ...kept);
}

export function deleteEntry(pkg: UciPackage, target: Resolved, deltas?: UciDelta[]): void {
  const { ptr } = target;
  if (!target.complete) throw new UciError('NOTFOUND');
  if (!target.section) throw new UciError('INVAL');
  const section = target.section;
  const sectionName = target.sectionName as string;
  if (ptr.option !== undefined) {
    const old = section.options.get(ptr.option);
    if (Array.isArray(old) && ptr.value) {
      const index = Number.parseInt(ptr.value, 10);
      if (Number.isNaN(index)) throw new UciError('INVAL');
      if (index >= 0 && index < old.length) {
        record(deltas, { cmd: 'remove', section: sectionName, option: ptr.option, value: ptr.value });
        old.splice(index, 1);
      }
      return;
    }
    record(deltas, { cmd: 'remove', section: sectionName, option: ptr.option });
    section.options.delete(ptr.option);
    return;
  }
  record(deltas, { cmd: 'remove', section: sectionName });
  pkg.sections.splice(pkg.sections.indexOf(section), 1);
}

export function rename(pkg: UciPackage, target: Resolved, deltas?: UciDelta[]): void {
  const { ptr } = target;
  if (!target.complete || !target.section) throw new UciError('NOTFOUND');
  if (ptr.value === undefined) throw new UciError('INVAL');
  record(deltas, { cmd: 'rename', section: target.sectionName as string, option: ptr.option, value: ptr.value });
  if (ptr.option !== undefined) {
    const entries = [...target.section.options].map(([key, value]) => [key === ptr.option ? (ptr.value as string) : key, value] as const);
    target.section.options = new Map(entries);
  } else {
    target.section.name = ptr.value;
    target.section.anonymous = false;
  }
}

export function reorder(pkg: UciPackage, section: UciSection, position: number, deltas?: UciDelta[]): void {
  const from = pkg.sections.indexOf(section);
  pkg.sections.splice(from, 1);
  const to = Math.max(0, Math.min(position, pkg.sections.length));
  pkg.sections.splice(to, 0, section);
  if (to !== from) record(deltas, { cmd: 'reorder', section: section.name, value: String(position) });
}
