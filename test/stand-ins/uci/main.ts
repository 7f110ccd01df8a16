// `uci` stand-in entry: node build/stand-ins/uci.cjs [<options>] <command> [<arguments>]
import { readFileSync } from 'node:fs';
import { runUci } from './cli.js';

function readStdin(): Uint8Array {
  try {
    return readFileSync(0);
  } catch {
    return new Uint8Array();
  }
}

const argv = process.argv.slice(2);
const needsStdin = argv.some((arg) => arg.toLowerCase() === 'batch') && !argv.includes('-f');
const result = runUci(argv, {
  stdin: needsStdin ? readStdin() : undefined,
  defaultSaveDir: process.env.UCI_STANDIN_DEFAULT_SAVEDIR || '/tmp/.uci',
});
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
