// The changes that put UCI back as it was before an apply: every option an apply set or deleted
// gets its old value (or is deleted again), sections it created are deleted, sections it deleted
// come back with all their options.
import { findSection, type UciPackage } from '../../lib/uci/types.js';
import type { UciChange } from '../../lib/uci/writer.js';

export function undoChanges(before: UciPackage | undefined, changes: readonly UciChange[]): UciChange[] {
  const undo: UciChange[] = [];
  const done = new Set<string>();
  for (const change of changes) {
    const old = before ? findSection(before, change.section) : undefined;
    if (!old) {
      if (!done.has(change.section)) undo.push({ op: 'delete', section: change.section });
      done.add(change.section);
      continue;
    }
    if (change.op === 'section' || (change.op === 'delete' && change.option === undefined)) {
      undo.push({ op: 'section', section: old.name, type: old.type });
      if (change.op === 'delete') for (const [option, value] of old.options) undo.push({ op: 'set', section: old.name, option, value });
      continue;
    }
    if (!('option' in change) || change.option === undefined) continue;
    const value = old.options.get(change.option);
    undo.push(value === undefined ? { op: 'delete', section: old.name, option: change.option } : { op: 'set', section: old.name, option: change.option, value });
  }
  return undo;
}
