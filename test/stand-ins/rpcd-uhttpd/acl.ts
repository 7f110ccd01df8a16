import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One half (read or write) of an rpcd acl.d group. */
interface AclGrant {
  ubus?: Record<string, string[]>;
  uci?: string[];
  file?: Record<string, string[]>;
  'cgi-io'?: string[];
}

export interface AclGroup {
  description?: string;
  read?: AclGrant;
  write?: AclGrant;
}

/** An rpcd `config login` entry. */
export interface LoginUser {
  username: string;
  password: string;
  read: string[];
  write: string[];
}

/** The ACL of one session, shaped as rpcd dumps it (`acls` of `session.login`). */
export interface SessionAcl {
  'access-group': Record<string, string[]>;
  ubus?: Record<string, string[]>;
  uci?: Record<string, string[]>;
  file?: Record<string, string[]>;
  'cgi-io'?: Record<string, string[]>;
}

/** Reads every `*.json` of the given acl.d directories; later directories win on equal group names. */
export function loadAclGroups(dirs: string[]): Map<string, AclGroup> {
  const groups = new Map<string, AclGroup>();
  for (const dir of dirs) {
    let files: string[];
    try { files = readdirSync(dir).filter((name) => name.endsWith('.json')).sort(); } catch { continue; }
    for (const file of files) {
      const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, AclGroup>;
      for (const [name, group] of Object.entries(parsed)) groups.set(name, group);
    }
  }
  return groups;
}

/** fnmatch(3) with `*`, `?` and `[...]`, as rpcd uses for ACL object, function and group names. */
export function fnmatch(pattern: string, text: string): boolean {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) { source += '\\['; continue; }
      source += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`${source}$`).test(text);
}

function addUnique(target: Record<string, string[]>, key: string, values: string[]): void {
  const list = target[key] ?? (target[key] = []);
  for (const value of values) if (!list.includes(value)) list.push(value);
}

function sortKeys(record: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]!]));
}

/** Builds a session ACL the way rpcd's login does: every acl.d group matched by the user's read/write patterns. */
export function buildSessionAcl(groups: Map<string, AclGroup>, read: string[], write: string[]): SessionAcl {
  const acl = { 'access-group': {} as Record<string, string[]>, ubus: {} as Record<string, string[]>, uci: {} as Record<string, string[]> };
  const file: Record<string, string[]> = {};
  const cgiIo: Record<string, string[]> = {};
  for (const name of [...groups.keys()].sort()) {
    const group = groups.get(name)!;
    for (const perm of ['read', 'write'] as const) {
      const grant = group[perm];
      const patterns = perm === 'read' ? read : write;
      if (!grant || !patterns.some((pattern) => fnmatch(pattern, name))) continue;
      addUnique(acl['access-group'], name, [perm]);
      for (const [object, methods] of Object.entries(grant.ubus ?? {})) addUnique(acl.ubus, object, methods);
      for (const config of grant.uci ?? []) addUnique(acl.uci, config, [perm]);
      for (const [path, ops] of Object.entries(grant.file ?? {})) addUnique(file, path, ops);
      for (const op of grant['cgi-io'] ?? []) addUnique(cgiIo, op, [perm]);
    }
  }
  const result: SessionAcl = { 'access-group': sortKeys(acl['access-group']), ubus: sortKeys(acl.ubus), uci: sortKeys(acl.uci) };
  if (Object.keys(cgiIo).length) result['cgi-io'] = sortKeys(cgiIo);
  if (Object.keys(file).length) result.file = sortKeys(file);
  return orderLikeRpcd(result);
}

function orderLikeRpcd(acl: SessionAcl): SessionAcl {
  const ordered: Record<string, unknown> = { 'access-group': acl['access-group'] };
  if (acl['cgi-io']) ordered['cgi-io'] = acl['cgi-io'];
  if (acl.file) ordered.file = acl.file;
  if (acl.ubus && Object.keys(acl.ubus).length) ordered.ubus = acl.ubus;
  if (acl.uci && Object.keys(acl.uci).length) ordered.uci = acl.uci;
  return ordered as unknown as SessionAcl;
}

/** rpcd's `rpc_session_acl_allowed`: any entry whose object and function patterns both match. */
export function aclAllows(acl: SessionAcl, scope: string, object: string, fn: string): boolean {
  const table = scope === 'access-group' ? acl['access-group']
    : scope === 'ubus' ? acl.ubus ?? {}
    : scope === 'uci' ? acl.uci ?? {}
    : scope === 'file' ? acl.file
    : scope === 'cgi-io' ? acl['cgi-io'] : undefined;
  if (!table) return false;
  return Object.entries(table).some(([objectPattern, functions]) =>
    fnmatch(objectPattern, object) && functions.some((pattern) => fnmatch(pattern, fn)));
}
