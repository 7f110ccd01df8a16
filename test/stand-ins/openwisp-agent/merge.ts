// openwisp-config's merge of a downloaded configuration into /etc/config, rule for rule, from
// openwisp-config/files/sbin/openwisp-update-config.lua (MERGE mode, the default):
//  1. for each section of the PREVIOUS remote config: gone from the new one -> its options removed
//     (section deleted when empty), or restored from the stored original when the original had it;
//     still there -> each option the new config no longer has is deleted, or restored from the
//     original when the original had it; a section left without options is deleted;
//  2. the original file is stored (once, the first time openwisp touches that package);
//  3. every section of the new remote config is written over the current one (type set, options
//     set; lists replaced, not merged: write_uci_section is called without merge_list).
// Options the remote never set are left as the local admin set them.
import { newPackage, type UciPackage, type UciSection } from '../../../src/lib/uci/types.js';

export interface MergeInput {
  /** /etc/config/<pkg> as it is now. */
  current: UciPackage;
  /** /etc/openwisp/remote/etc/config/<pkg> of the previous apply (undefined the first time). */
  previousRemote?: UciPackage;
  /** The downloaded /etc/config/<pkg>. */
  remote: UciPackage;
  /** /etc/openwisp/stored/etc/config/<pkg>: the original before openwisp's first apply. */
  stored?: UciPackage;
}

export interface MergeResult {
  merged: UciPackage;
  /** The original to store when none was stored yet (step 2). */
  storeOriginal?: UciPackage;
}

function clone(pkg: UciPackage): UciPackage {
  return { ...pkg, sections: pkg.sections.map((s) => ({ ...s, options: new Map([...s.options].map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])) })) };
}

const find = (pkg: UciPackage | undefined, name: string) => pkg?.sections.find((section) => section.name === name);

function dropIfEmpty(pkg: UciPackage, name: string): void {
  const section = find(pkg, name);
  if (section && section.options.size === 0) pkg.sections.splice(pkg.sections.indexOf(section), 1);
}

function removeGoneSection(merged: UciPackage, old: UciSection, stored: UciSection | undefined): void {
  const current = find(merged, old.name);
  if (!current) return;
  if (!stored) {
    for (const option of old.options.keys()) current.options.delete(option);
    dropIfEmpty(merged, old.name);
    return;
  }
  for (const option of old.options.keys()) current.options.delete(option);
  current.type = stored.type;
  for (const [option, value] of stored.options) current.options.set(option, value);
}

function removeGoneOptions(merged: UciPackage, old: UciSection, fresh: UciSection, stored: UciSection | undefined): void {
  const current = find(merged, old.name);
  if (!current) return;
  for (const option of old.options.keys()) {
    if (fresh.options.has(option)) continue;
    const original = stored?.options.get(option);
    if (original === undefined) current.options.delete(option);
    else current.options.set(option, original);
  }
  dropIfEmpty(merged, old.name);
}

function writeSection(merged: UciPackage, section: UciSection): void {
  let current = find(merged, section.name);
  if (!current) {
    current = { name: section.name, type: section.type, anonymous: false, options: new Map() };
    merged.sections.push(current);
  }
  current.type = section.type;
  for (const [option, value] of section.options) current.options.set(option, Array.isArray(value) ? [...value] : value);
}

export function mergeRemote(input: MergeInput): MergeResult {
  const merged = clone(input.current);
  for (const old of input.previousRemote?.sections ?? []) {
    const fresh = find(input.remote, old.name);
    const stored = find(input.stored, old.name);
    if (!fresh) removeGoneSection(merged, old, stored);
    else removeGoneOptions(merged, old, fresh, stored);
  }
  const storeOriginal = input.stored || input.remote.sections.length === 0 ? undefined : clone(input.current);
  for (const section of input.remote.sections) writeSection(merged, section);
  return { merged, storeOriginal };
}

export const emptyPackage = (name: string): UciPackage => newPackage(name);
