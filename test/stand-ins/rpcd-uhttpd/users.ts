import { readFileSync } from 'node:fs';
import { parseUciPackage } from '../../../src/lib/uci/parser.js';
import type { LoginUser } from './acl.js';

/** `config login` sections of an rpcd UCI file (`/etc/config/rpcd`); passwords are plain text in the stand-in. */
export function loadRpcdUsers(path: string): LoginUser[] {
  const pkg = parseUciPackage(readFileSync(path), 'rpcd');
  const users: LoginUser[] = [];
  for (const section of pkg.sections) {
    if (section.type !== 'login') continue;
    const username = section.options.get('username');
    const password = section.options.get('password');
    if (typeof username !== 'string' || typeof password !== 'string') continue;
    const list = (name: string): string[] => {
      const value = section.options.get(name);
      return value === undefined ? [] : Array.isArray(value) ? value : [value];
    };
    users.push({ username, password, read: list('read'), write: list('write') });
  }
  return users;
}
