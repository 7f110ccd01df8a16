// The exact difference between what the profile wants and what UCI holds, as `uci batch` changes
// and as readable lines. Only options the profile names are compared; the rest are the admin's.
import type { UciChange } from '../../lib/uci/writer.js';
import { findSection, type UciPackage, type UciValue } from '../../lib/uci/types.js';
import type { DesiredSection, RenderedConfig, RenderedProfile } from './types.js';

export interface ProfileDiff {
  /** Per config, in order; empty when UCI already holds the profile. */
  changes: Map<RenderedConfig, UciChange[]>;
  /** `wireless.radio1.channel: '12' -> '28'`, `+ firewall.smartgrid_halow (zone)`. */
  lines: string[];
  /** Configs the profile needs whose file does not exist (the package providing it is not installed). */
  missing: RenderedConfig[];
}

/** Options whose values never appear in a diff line. */
const SECRET_OPTIONS = new Set(['key']);

function show(option: string, value: UciValue | undefined): string {
  if (value === undefined) return '(unset)';
  if (SECRET_OPTIONS.has(option)) return "'***'";
  return Array.isArray(value) ? `[${value.map((item) => `'${item}'`).join(', ')}]` : `'${value}'`;
}

function sameValue(a: UciValue | undefined, b: UciValue | null): boolean {
  if (b === null) return a === undefined;
  if (Array.isArray(b)) return Array.isArray(a) ? a.length === b.length && a.every((item, index) => item === b[index]) : b.length === 1 && a === b[0];
  return a === b;
}

function sectionChanges(pkg: UciPackage | undefined, desired: DesiredSection, lines: string[]): UciChange[] {
  const path = `${desired.config}.${desired.name}`;
  const current = pkg ? findSection(pkg, desired.name) : undefined;
  const changes: UciChange[] = [];
  if (!current || current.type !== desired.type) {
    changes.push({ op: 'section', section: desired.name, type: desired.type });
    lines.push(current ? `~ ${path}: type '${current.type}' -> '${desired.type}'` : `+ ${path} (${desired.type})`);
  }
  for (const [option, value] of Object.entries(desired.options)) {
    const before = current?.options.get(option);
    if (sameValue(before, value)) continue;
    if (value === null) changes.push({ op: 'delete', section: desired.name, option });
    else changes.push({ op: 'set', section: desired.name, option, value });
    lines.push(`${path}.${option}: ${show(option, before)} -> ${show(option, value ?? undefined)}`);
  }
  return changes;
}

/** `packages`: the current UCI packages by config name (missing = the file does not exist). */
export function diffProfile(packages: ReadonlyMap<string, UciPackage>, profile: RenderedProfile): ProfileDiff {
  const changes = new Map<RenderedConfig, UciChange[]>();
  const lines: string[] = [];
  const add = (config: RenderedConfig, items: UciChange[]) => {
    if (items.length > 0) changes.set(config, [...(changes.get(config) ?? []), ...items]);
  };
  const missing = [...new Set(profile.sections.map((section) => section.config).filter((config) => !packages.has(config)))];
  for (const desired of profile.sections) add(desired.config, sectionChanges(packages.get(desired.config), desired, lines));
  for (const retired of profile.retired) {
    const pkg = packages.get(retired.config);
    if (!pkg || !findSection(pkg, retired.name)) continue;
    add(retired.config, [{ op: 'delete', section: retired.name }]);
    lines.push(`- ${retired.config}.${retired.name}`);
  }
  return { changes, lines, missing };
}
