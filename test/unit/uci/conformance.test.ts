// Replays every step of the captured real-uci sessions against the stand-in and compares exactly.
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runUci } from '../../stand-ins/uci/cli.js';
import { conformancePath } from '../../helpers/conformance.js';

const CONFORMANCE = conformancePath('uci');
const CASES = ['basic_read', 'basic_modify', 'batch', 'edge', 'parse', 'savedir_flags'];

interface CommandStep { argv: string[]; stdin?: string; exit_code: number; stdout: string; stderr: string; note?: string }
interface FileStep { file: string; label: string; content: string | null }
interface Capture { case: string; config_dir: string; savedir: string; inputs: string[]; steps: Array<CommandStep | FileStep> }

const roots: string[] = [];
afterAll(() => { for (const root of roots) rmSync(root, { recursive: true, force: true }); });

function prepare(capture: Capture): { root: string; map: (text: string) => string } {
  const root = mkdtempSync(join(tmpdir(), `uci-${capture.case}-`));
  roots.push(root);
  const configDir = join(root, 'config');
  mkdirSync(configDir);
  const inputDir = capture.case === 'parse' ? join(CONFORMANCE, 'configs', 'parse') : join(CONFORMANCE, 'configs');
  for (const input of capture.inputs) {
    copyFileSync(join(inputDir, input), join(configDir, input));
    chmodSync(join(configDir, input), 0o644);
  }
  const caseRoot = capture.config_dir.replace(/\/config$/, '');
  return { root, map: (text) => text.split(caseRoot).join(root) };
}

for (const name of CASES) {
  describe(`uci stand-in replays ${name}.json`, () => {
    const capture = JSON.parse(readFileSync(join(CONFORMANCE, `${name}.json`), 'utf8')) as Capture;
    const { root, map } = prepare(capture);
    const defaultSaveDir = join(root, 'default-save');
    capture.steps.forEach((step, index) => {
      if ('file' in step) {
        it(`step ${index}: file ${step.label}`, () => {
          const path = map(step.file);
          const actual = existsSync(path) ? readFileSync(path, 'utf8') : null;
          expect(actual).toBe(step.content);
        });
        return;
      }
      const label = `step ${index}: ${step.argv.slice(1).filter((a) => !a.startsWith('/tmp/uciconf')).join(' ')}${step.note ? ` (${step.note})` : ''}`;
      it(label, () => {
        const result = runUci(step.argv.slice(1).map(map), { stdin: step.stdin, defaultSaveDir });
        expect({ stdout: result.stdout, stderr: result.stderr, exit: result.exitCode })
          .toEqual({ stdout: map(step.stdout), stderr: map(step.stderr), exit: step.exit_code });
      });
    });
  });
}
