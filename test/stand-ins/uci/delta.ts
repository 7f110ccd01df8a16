// Save-dir ("delta") files of libuci: one staged change per line.
import { LineBuffer, nextArg, validateOptionName } from '../../../src/lib/uci/tokenizer.js';
import {
  addList, delList, deleteEntry, parsePtr, rename, reorder, resolve, setValue,
} from '../../../src/lib/uci/model.js';
import type { UciCommand, UciDelta } from '../../../src/lib/uci/model.js';
import { quoteUci } from '../../../src/lib/uci/render.js';
import { UciError } from '../../../src/lib/uci/types.js';
import type { UciPackage } from '../../../src/lib/uci/types.js';

const PREFIX: Record<UciCommand, string> = {
  add: '+', remove: '-', change: '', rename: '@', reorder: '^', list_add: '|', list_del: '~',
};
const COMMAND_BY_PREFIX = new Map<string, UciCommand>(
  Object.entries(PREFIX).filter(([, prefix]) => prefix).map(([cmd, prefix]) => [prefix, cmd as UciCommand]),
);

/** One line of a delta file (`uci_delta_save`). */
export function formatDelta(pkgName: string, delta: UciDelta): string {
  let line = `${PREFIX[delta.cmd]}${pkgName}.${delta.section}`;
  if (delta.option !== undefined) line += `.${delta.option}`;
  if (delta.cmd === 'remove' && delta.value === undefined) return `${line}\n`;
  return `${line}=${quoteUci(delta.value ?? '')}\n`;
}

/** One line of `uci changes`. */
export function formatChange(pkgName: string, delta: UciDelta): string {
  const prefix = delta.cmd === 'remove' ? '-' : '';
  const op = delta.cmd === 'list_add' ? '+=' : delta.cmd === 'list_del' ? '-=' : '=';
  let line = `${prefix}${pkgName}.${delta.section}`;
  if (delta.option !== undefined) line += `.${delta.option}`;
  if (delta.cmd !== 'remove') line += `${op}${quoteUci(delta.value ?? '')}`;
  return `${line}\n`;
}

interface ParsedDelta {
  pkg: string;
  delta: UciDelta;
}

/** `uci_parse_delta_tuple`: throws for lines libuci would skip. */
function parseTuple(lb: LineBuffer): ParsedDelta {
  const at = nextArg(lb, false, false, false);
  if (lb.cur) throw new UciError('INVAL');
  let arg = lb.stringAt(at);
  const cmd = COMMAND_BY_PREFIX.get(arg[0]) ?? 'change';
  if (cmd !== 'change') arg = arg.slice(1);
  const ptr = parsePtr(arg);
  if (!ptr.section || ptr.extended) throw new UciError('INVAL');
  if (cmd !== 'remove' && ptr.value === undefined) throw new UciError('INVAL');
  if (cmd === 'reorder' && ptr.option !== undefined) throw new UciError('INVAL');
  if (cmd === 'rename' && !validateOptionName(ptr.value ?? '')) throw new UciError('INVAL');
  if ((cmd === 'list_add' || cmd === 'list_del') && ptr.option === undefined) throw new UciError('INVAL');
  return { pkg: ptr.package, delta: { cmd, section: ptr.section, option: ptr.option, value: ptr.value } };
}

/** Reads every well-formed line of a delta file; bad lines are skipped like libuci does. */
export function readDeltaFile(bytes: Uint8Array): ParsedDelta[] {
  const lb = new LineBuffer(bytes);
  const out: ParsedDelta[] = [];
  while (!lb.eof) {
    lb.pos = 0;
    lb.readLine(0);
    if (!lb.char(0)) continue;
    try {
      out.push(parseTuple(lb));
    } catch {
      // skipped, as uci_parse_delta does
    }
  }
  return out;
}

function strtoul(text: string): number {
  const match = /^\s*\+?(\d+)/.exec(text);
  return match ? Number.parseInt(match[1], 10) : 0;
}

/** Applies one saved change; returns false when libuci would have rejected it. */
export function applyDelta(pkg: UciPackage, delta: UciDelta): boolean {
  const ptr = { package: pkg.name, section: delta.section, option: delta.option, value: delta.value, extended: false };
  try {
    const target = resolve(pkg, ptr);
    switch (delta.cmd) {
      case 'reorder':
        if (!target.section) throw new UciError('NOTFOUND');
        reorder(pkg, target.section, strtoul(delta.value ?? ''));
        break;
      case 'rename':
        rename(pkg, target);
        break;
      case 'remove':
        deleteEntry(pkg, target);
        break;
      case 'list_add':
        addList(pkg, target);
        break;
      case 'list_del':
        delList(pkg, target);
        break;
      case 'add': {
        setValue(pkg, target);
        const section = resolve(pkg, ptr).section;
        if (delta.option === undefined && section) section.anonymous = true;
        break;
      }
      case 'change':
        setValue(pkg, target);
        break;
    }
    return true;
  } catch {
    return false;
  }
}

export function matchesFilter(delta: UciDelta, section?: string, option?: string): boolean {
  if (section !== undefined && delta.section !== section) return false;
  if (option !== undefined && delta.option !== option) return false;
  return true;
}
