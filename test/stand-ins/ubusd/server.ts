/**
 * A ubusd stand-in on a unix socket, built on the project's ubus codec and checked against the captures in
 * `../shared/conformance/ubus/`. Peer credentials are not available to node, so every client is reported
 * as the user running the stand-in (USER/GROUP attributes) and no ACL applies (like root on real ubusd).
 */
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import { UbusFramer } from '../../../src/lib/ubus/framer.js';
import { decodeMessage, encodeMessage, UBUS_MSG, UBUS_SYSTEM_OBJECT_EVENT } from '../../../src/lib/ubus/message.js';
import { handleMessage } from './handlers.js';
import { UbusdState, type StandInClient } from './state.js';

export interface UbusdOptions {
  socketPath: string;
  /** Called with every message in both directions (for debugging and byte-level tests). */
  onMessage?: (direction: 'c2s' | 's2c', clientId: number, bytes: Buffer) => void;
}

export interface RunningUbusd {
  socketPath: string;
  state: UbusdState;
  stop(): Promise<void>;
}

function groupName(gid: number): string {
  try {
    for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && Number(id) === gid) return name;
    }
  } catch {
    // no /etc/group: fall back to the number
  }
  return String(gid);
}

export async function startUbusd(options: UbusdOptions): Promise<RunningUbusd> {
  const state = new UbusdState();
  state.createObject(undefined, { id: UBUS_SYSTEM_OBJECT_EVENT });
  const me = userInfo();
  const user = me.username;
  const group = groupName(me.gid);
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    const client: StandInClient = {
      id: state.allocClientId(),
      user,
      group,
      objects: new Set(),
      send(message) {
        if (socket.destroyed) return;
        const bytes = encodeMessage(message);
        options.onMessage?.('s2c', client.id, bytes);
        socket.write(bytes);
      },
    };
    state.clients.set(client.id, client);
    const framer = new UbusFramer();
    socket.pipe(framer);
    framer.on('data', (frame: Buffer) => {
      options.onMessage?.('c2s', client.id, frame);
      try {
        handleMessage(state, client, decodeMessage(frame));
      } catch {
        socket.destroy(); // ubusd drops clients that send malformed messages
      }
    });
    framer.on('error', () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      for (const object of [...client.objects]) state.freeObject(object);
      state.clients.delete(client.id);
    });
    client.send({ type: UBUS_MSG.HELLO, seq: 0, peer: client.id, attrs: [] });
  });

  rmSync(options.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => resolve());
  });

  return {
    socketPath: options.socketPath,
    state,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      rmSync(options.socketPath, { force: true });
    },
  };
}
