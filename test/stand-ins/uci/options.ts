// Command-line flags of `uci` (getopt "c:C:d:f:LmnNp:P:qsSt:X", options before the command).
export interface CliFlags {
  confDir: string;
  delimiter: string;
  inputFile?: string;
  quiet: boolean;
  strict: boolean;
  printParseErrors: boolean;
  exportName: boolean;
  showExtended: boolean;
  noCommit: boolean;
  /** -t/-P/-p in command-line order (their order changes the delta search path). */
  deltaSteps: Array<{ kind: 'savedir' | 'path'; dir: string }>;
}

export type ParsedCli = { kind: 'usage' } | { kind: 'run'; flags: CliFlags; rest: string[] };

const WITH_ARGUMENT = new Set(['c', 'C', 'd', 'f', 'p', 'P', 't']);
const WITHOUT_ARGUMENT = new Set(['L', 'm', 'n', 'N', 'q', 's', 'S', 'X']);

export function parseCliOptions(argv: string[]): ParsedCli {
  const flags: CliFlags = {
    confDir: '/etc/config', delimiter: ' ', quiet: false, strict: true, printParseErrors: false,
    exportName: false, showExtended: true, noCommit: false, deltaSteps: [],
  };
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index];
    if (arg === '--') { index++; break; }
    if (!arg.startsWith('-') || arg === '-') break;
    index++;
    for (let at = 1; at < arg.length; at++) {
      const letter = arg[at];
      if (WITH_ARGUMENT.has(letter)) {
        let value = arg.slice(at + 1);
        if (!value) {
          if (index >= argv.length) return { kind: 'usage' };
          value = argv[index++];
        }
        applyValueFlag(flags, letter, value);
        break;
      }
      if (!WITHOUT_ARGUMENT.has(letter)) return { kind: 'usage' };
      applyFlag(flags, letter);
    }
  }
  return { kind: 'run', flags, rest: argv.slice(index) };
}

function applyValueFlag(flags: CliFlags, letter: string, value: string): void {
  switch (letter) {
    case 'c': flags.confDir = value; break;
    case 'd': flags.delimiter = value; break;
    case 'f': flags.inputFile = value; break;
    case 'p': flags.deltaSteps.push({ kind: 'path', dir: value }); break;
    case 'P': flags.deltaSteps.push({ kind: 'savedir', dir: value }); flags.noCommit = true; break;
    case 't': flags.deltaSteps.push({ kind: 'savedir', dir: value }); break;
    default: break; // -C: no override dir in the stand-in
  }
}

function applyFlag(flags: CliFlags, letter: string): void {
  switch (letter) {
    case 'q': flags.quiet = true; break;
    case 's': flags.strict = true; break;
    case 'S': flags.strict = false; flags.printParseErrors = true; break;
    case 'n': flags.exportName = true; break;
    case 'N': flags.exportName = false; break;
    case 'X': flags.showExtended = false; break;
    default: break;
  }
}

/** `uci` usage text, printed on stderr. */
export const USAGE = 'Usage: uci [<options>] <command> [<arguments>]\n\nCommands:\n\tbatch\n\texport     [<config>]\n\timport     [<config>]\n\tchanges    [<config>]\n\tcommit     [<config>]\n\tadd        <config> <section-type>\n\tadd_list   <config>.<section>.<option>=<string>\n\tdel_list   <config>.<section>.<option>=<string>\n\tshow       [<config>[.<section>[.<option>]]]\n\tget        <config>.<section>[.<option>]\n\tset        <config>.<section>[.<option>]=<value>\n\tdelete     <config>[.<section>[[.<option>][=<id>]]]\n\trename     <config>.<section>[.<option>]=<name>\n\trevert     <config>[.<section>[.<option>]]\n\treorder    <config>.<section>=<position>\n\nOptions:\n\t-c <path>  set the search path for config files (default: /etc/config)\n\t-C <path>  set the search path for config override files (default: /var/run/uci)\n\t-d <str>   set the delimiter for list values in uci show\n\t-f <file>  use <file> as input instead of stdin\n\t-m         when importing, merge data into an existing package\n\t-n         name unnamed sections on export (default)\n\t-N         don\'t name unnamed sections\n\t-p <path>  add a search path for config change files\n\t-P <path>  add a search path for config change files and use as default\n\t-t <path>  set save path for config change files\n\t-q         quiet mode (don\'t print error messages)\n\t-s         force strict mode (stop on parser errors, default)\n\t-S         disable strict mode\n\t-X         do not use extended syntax on \'show\'\n\n';
