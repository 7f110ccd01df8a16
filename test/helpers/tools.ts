// The programs tests spawn, checked against scripts/debian-tools.txt (what `make setup` installs), so a
// missing program fails with its name and package instead of a test timing out waiting for its output.
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { accessSync, constants } from 'node:fs';

const TOOLS_FILE = new URL('../../scripts/debian-tools.txt', import.meta.url);

/** command -> Debian package, as listed in scripts/debian-tools.txt. */
export function listedTools(text = readFileSync(TOOLS_FILE, 'utf8')): Map<string, string> {
  const tools = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [command, pkg] = trimmed.split(/\s+/);
    if (!command || !pkg) throw new Error(`scripts/debian-tools.txt: '${trimmed}' needs a command and a package`);
    tools.set(command, pkg);
  }
  return tools;
}

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch { /* next */ }
  }
  return false;
}

/** Throws a clear error when `command` is not installed, or is not one that `make setup` installs. */
export function requireTool(command: string, tools = listedTools()): void {
  if (command === process.execPath) return;
  const pkg = tools.get(command);
  if (!pkg) throw new Error(`test spawns '${command}', which scripts/debian-tools.txt does not list: add it with its Debian package`);
  if (!onPath(command)) throw new Error(`missing tool '${command}' (Debian package ${pkg}): run 'make setup'`);
}
