import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listedTools, requireTool } from '../../helpers/tools.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const SCANNED = ['test', 'bench', 'demo', 'scripts'];
const NODE_BUILTIN_TARGETS = new Set(['node', process.execPath, 'sh', 'bash', 'kill', 'true']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'www') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|js)$/.test(name) ? [path] : [];
  });
}

/** Literal program names passed to spawn/exec calls, directly or as the first argv of a netns helper. */
export function spawnedPrograms(source: string): string[] {
  const direct = /\b(?:spawn|spawnSync|execFile|execFileSync)\(\s*'([A-Za-z][A-Za-z0-9_.-]*)'/g;
  const viaNamespace = /\b(?:spawn|exec)\([^,()'\[]+,\s*\[\s*'([A-Za-z][A-Za-z0-9_.-]*)'/g;
  return [...source.matchAll(direct), ...source.matchAll(viaNamespace)].map((match) => match[1]!);
}

describe('tools the tests spawn', () => {
  it('finds spawned programs in both call shapes', () => {
    const sample = "spawn('mosquitto', []); execFileSync('ip', ['a']); topology.spawn(topology.cloud, ['mosquitto_sub', '-h']);";
    expect(spawnedPrograms(sample).sort()).toEqual(['ip', 'mosquitto', 'mosquitto_sub']);
  });

  it('every program spawned by tests, benches, demo or scripts is installed by make setup', () => {
    const tools = listedTools();
    const unlisted = new Set<string>();
    for (const dir of SCANNED) {
      for (const file of sourceFiles(join(REPO, dir))) {
        for (const program of spawnedPrograms(readFileSync(file, 'utf8'))) {
          if (!NODE_BUILTIN_TARGETS.has(program) && !tools.has(program)) unlisted.add(`${program} (${file.slice(REPO.length)})`);
        }
      }
    }
    expect([...unlisted]).toEqual([]);
  });

  it('a missing tool fails with its name and package, an unlisted one with where to add it', () => {
    const tools = new Map([['no-such-tool-smartgrid', 'some-package']]);
    expect(() => requireTool('no-such-tool-smartgrid', tools)).toThrow("missing tool 'no-such-tool-smartgrid' (Debian package some-package): run 'make setup'");
    expect(() => requireTool('other', tools)).toThrow('scripts/debian-tools.txt does not list');
  });

  it('reads the list file and refuses a line without a package', () => {
    expect(listedTools('# c\nmosquitto_sub  mosquitto-clients\n').get('mosquitto_sub')).toBe('mosquitto-clients');
    expect(() => listedTools('lonely\n')).toThrow("'lonely' needs a command and a package");
  });
});
