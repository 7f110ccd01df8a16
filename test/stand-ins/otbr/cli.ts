// otbr-agent's daemon socket (`/run/openthread-<if>.sock`), which ot-ctl talks to: one command
// line in, its output (as ot-ctl.json / network.json captured it) back, then the connection closes.
// While attached the replayed network's outputs, otherwise the ones of a node that is not attached.
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { detachedCli, type DetachedCli, type ReplayedNetwork } from './captures.js';

export interface CliNode { role: string }

const ATTACHED = new Set(['leader', 'router', 'child']);

export function cliAnswer(node: CliNode, network: ReplayedNetwork, detached: DetachedCli, command: string): string {
  if (command === 'state') return `${node.role}\r\nDone\r\n`;
  const attachedAnswer = ATTACHED.has(node.role) ? network.attachedCli.get(command) : undefined;
  return attachedAnswer ?? detached.byCommand.get(command) ?? detached.unknownCommand;
}

export function cliSocketPath(runDir: string, threadInterface: string): string {
  return `${runDir}/openthread-${threadInterface}.sock`;
}

/** Listens on the daemon socket (a stale one from an earlier run is replaced, as the agent does). */
export function startCliSocket(node: CliNode, network: ReplayedNetwork, path: string): Promise<Server> {
  rmSync(path, { force: true });
  const detached = detachedCli();
  const server = createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      socket.end(cliAnswer(node, network, detached, buffered.slice(0, end).trim()));
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}
