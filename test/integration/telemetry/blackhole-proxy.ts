import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface ProxiedFlow { client: Socket; upstream: Socket; openedAt: number; dead: boolean }

/**
 * A TCP relay between the forwarder and the upstream broker that can make the flows open at that
 * moment go silent in both directions without closing them, as a TCP session does when the uplink it
 * was routed over disappears. Flows opened afterwards work: that is the "new route".
 */
export class BlackholeProxy {
  readonly flows: ProxiedFlow[] = [];

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<BlackholeProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', () => resolve()); });
    const proxy = new BlackholeProxy(server, (server.address() as AddressInfo).port);
    server.on('connection', (client) => proxy.relay(client, connect(targetPort, targetHost)));
    return proxy;
  }

  /** Every flow open now silently drops whatever either side sends from here on. */
  blackholeOpenFlows(): number {
    let count = 0;
    for (const flow of this.flows) if (!flow.dead && !flow.client.destroyed) { flow.dead = true; count++; }
    return count;
  }

  liveFlows(): ProxiedFlow[] { return this.flows.filter((flow) => !flow.dead && !flow.client.destroyed); }

  async close(): Promise<void> {
    for (const flow of this.flows) { flow.client.destroy(); flow.upstream.destroy(); }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, upstream: Socket): void {
    const flow: ProxiedFlow = { client, upstream, openedAt: Date.now(), dead: false };
    this.flows.push(flow);
    client.on('data', (chunk) => { if (!flow.dead) upstream.write(chunk); });
    upstream.on('data', (chunk) => { if (!flow.dead) client.write(chunk); });
    // A dead path does not report the far end closing either; the forwarder's own close still tears it down.
    upstream.on('close', () => { if (!flow.dead) client.destroy(); });
    client.on('close', () => upstream.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  }
}
