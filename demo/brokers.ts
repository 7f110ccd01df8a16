import aedes from 'aedes';
import { createServer, type AddressInfo, type Server } from 'node:net';

export interface RunningBroker {
  port: number;
  /** Messages published by clients, by topic prefix (first level). */
  received: Map<string, number>;
  close(): Promise<void>;
}

/** An in-process MQTT broker (aedes) on localhost; port 0 picks a free port. */
export async function startBroker(port = 0): Promise<RunningBroker> {
  const broker = (aedes as unknown as { createBroker(): import('aedes').default }).createBroker();
  const received = new Map<string, number>();
  broker.on('publish', (packet, client) => {
    if (!client) return;
    const prefix = packet.topic.split('/').slice(0, 2).join('/');
    received.set(prefix, (received.get(prefix) ?? 0) + 1);
  });
  const server: Server = createServer(broker.handle as unknown as (socket: import('node:net').Socket) => void);
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve); });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => broker.close(() => resolve()));
    }),
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
