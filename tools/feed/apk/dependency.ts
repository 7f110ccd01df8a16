/** apk dependency strings (`name`, `name=1.0-r1`, `node>=18`, `!conflict`) as {name, version, match}. */
import { MATCH } from './schema.js';

export interface Dependency {
  name: string;
  version?: string;
  /** Match bits; undefined for a plain name and for `=` (EQUAL is the default and is not stored). */
  match?: number;
}

const OPERATORS: ReadonlyArray<[string, number]> = [
  ['>=', MATCH.greater | MATCH.equal],
  ['<=', MATCH.less | MATCH.equal],
  ['><', MATCH.less | MATCH.greater],
  ['=~', MATCH.equal | MATCH.fuzzy],
  ['~', MATCH.equal | MATCH.fuzzy],
  ['>', MATCH.greater],
  ['<', MATCH.less],
  ['=', MATCH.equal],
];

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.+:-]*$/;
const VERSION = /^[0-9]+(\.[0-9]+)*[a-z]?((_alpha|_beta|_pre|_rc|_cvs|_svn|_git|_hg|_p)[0-9]*)*(~[0-9a-f]+)?(-r[0-9]+)?$/;

export function isApkVersion(version: string): boolean {
  return VERSION.test(version);
}

export function parseDependency(text: string): Dependency {
  const conflict = text.startsWith('!');
  const body = conflict ? text.slice(1) : text;
  for (const [operator, bits] of OPERATORS) {
    const at = body.indexOf(operator);
    if (at <= 0) continue;
    const name = body.slice(0, at);
    const version = body.slice(at + operator.length);
    if (!NAME.test(name) || !isApkVersion(version)) throw new Error(`invalid apk dependency '${text}'`);
    const match = bits | (conflict ? MATCH.conflict : 0);
    return match === MATCH.equal ? { name, version } : { name, version, match };
  }
  if (!NAME.test(body)) throw new Error(`invalid apk dependency '${text}'`);
  return conflict ? { name: body, match: MATCH.conflict } : { name: body };
}

export function formatDependency(dep: Dependency): string {
  const match = dep.match ?? MATCH.equal;
  const prefix = match & MATCH.conflict ? '!' : '';
  if (dep.version === undefined) return `${prefix}${dep.name}`;
  const bits = match & ~MATCH.conflict;
  const operator = OPERATORS.find(([, candidate]) => candidate === bits)?.[0] ?? '=';
  return `${prefix}${dep.name}${operator}${dep.version}`;
}

/** apk_blob_sort: bytewise, shorter first on a common prefix. */
export function compareBytes(a: string | undefined, b: string | undefined): number {
  return Buffer.compare(Buffer.from(a ?? ''), Buffer.from(b ?? ''));
}
