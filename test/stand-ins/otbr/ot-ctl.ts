// ot-ctl stand-in: `ot-ctl [-I wpan0] <command...>` sends the command to the otbr-agent stand-in's
// daemon socket and prints its answer. As ot-ctl.json shows: exit 0 whatever the answer (also
// `Error N: ...`), exit 1 with `connect session failed: <reason>` on stderr when no agent listens,
// exit 1 without output when no command is given. Environment: OTBR_STANDIN_RUN_DIR (where the
// agent stand-in puts its socket; the real one uses /run).
import { connect } from 'node:net';
import { cliSocketPath } from './cli.js';

const REASONS: Record<string, string> = { ENOENT: 'No such file or directory', ECONNREFUSED: 'Connection refused' };

function main(argv: string[]): void {
  let threadInterface = 'wpan0';
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-I') threadInterface = argv[++i] ?? '';
    else words.push(argv[i]!);
  }
  if (words.length === 0) process.exit(1);
  const socket = connect(cliSocketPath(process.env.OTBR_STANDIN_RUN_DIR ?? '/run', threadInterface));
  socket.setEncoding('utf8');
  socket.on('connect', () => socket.write(`${words.join(' ')}\n`));
  socket.on('data', (chunk: string) => process.stdout.write(chunk));
  socket.on('end', () => process.exit(0));
  socket.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`connect session failed: ${REASONS[error.code ?? ''] ?? error.message}\n`);
    process.exit(1);
  });
}

main(process.argv.slice(2));
