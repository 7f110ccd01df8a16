// Simulated Thread nodes for the demo: a few meters' nodes POST readings to the smartgrid-thread CoAP
// bridge (JSON, CBOR and the binary frame, confirmable), and answer its commands (ThingsBoard RPC
// through the telemetry forwarder) on their `rpc/<method>` resources. All from ::1: the demo has no
// Thread radio, so every node shares the loopback address.
import { createSocket } from 'node:dgram';
import { encode as encodeCbor } from 'cbor-x';
import { Agent, createServer, request, type IncomingMessage, type OutgoingMessage, type Server } from 'coap';
import type { Logger } from '../src/lib/log.js';
import { encodeFrame } from '../src/thread/coap/frame.js';

/** A UDP port free on ::1 now. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp6');
  await new Promise<void>((resolve) => socket.bind(0, '::1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export interface ThreadNodesOptions {
  bridgePort: number;
  /** Where the nodes serve their command resources (the bridge's `node_port`). */
  nodePort: number;
  intervalS: number;
  log: Logger;
}

const NODES = [
  { meter: 'thread-meter-1', eui64: '18b4300000000011', encoding: 'json' },
  { meter: 'thread-meter-2', eui64: '18b4300000000012', encoding: 'cbor' },
  { meter: 'thread-meter-3', eui64: '18b4300000000013', encoding: 'binary' },
] as const;

export class SimulatedThreadNodes {
  private readonly agent = new Agent({ type: 'udp6' });
  private server: Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private energy = 1000;
  readonly commands: { at: number; path: string; body: string }[] = [];

  constructor(private readonly options: ThreadNodesOptions) {}

  async start(): Promise<void> {
    this.server = createServer({ type: 'udp6' });
    this.server.on('request', (req: IncomingMessage, res: OutgoingMessage) => this.command(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.options.nodePort, '::1', () => resolve()));
    this.timer = setInterval(() => this.sendAll(), this.options.intervalS * 1000);
    this.sendAll();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.agent.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private command(req: IncomingMessage, res: OutgoingMessage): void {
    this.commands.push({ at: Date.now(), path: req.url, body: req.payload.toString('utf8') });
    this.options.log.info('node got a command', { path: req.url, body: req.payload.toString('utf8') });
    res.code = '2.04';
    res.setOption('Content-Format', 'application/json');
    res.end(JSON.stringify({ done: true, at: Math.floor(Date.now() / 1000) }));
  }

  private sendAll(): void {
    this.energy += 0.25;
    for (const node of NODES) this.send(node);
  }

  private send(node: (typeof NODES)[number]): void {
    const ts = Math.floor(Date.now() / 1000);
    const voltage = 229 + Math.random() * 3;
    const reading = { meter: node.meter, eui64: node.eui64, ts, values: { '1-0:1.8.0': Number(this.energy.toFixed(2)), '1-0:32.7.0': Number(voltage.toFixed(1)) } };
    const [format, body] = node.encoding === 'json' ? [50, Buffer.from(JSON.stringify(reading))]
      : node.encoding === 'cbor' ? [60, encodeCbor(reading)]
        : [42, encodeFrame({ eui64: node.eui64, meter: node.meter, timestamp: ts, values: [{ obis: [1, 8, 0], scaler: -2, raw: Math.round(this.energy * 100) }, { obis: [32, 7, 0], scaler: -1, raw: Math.round(voltage * 10) }] })];
    const req = request({ host: '::1', port: this.options.bridgePort, method: 'POST', pathname: '/t', confirmable: true, agent: this.agent, contentFormat: format });
    req.on('response', (response: IncomingMessage) => {
      if (response.code !== '2.04') this.options.log.warn('bridge refused a node reading', { meter: node.meter, code: response.code, detail: response.payload.toString('utf8') });
    });
    req.on('error', (error: Error) => this.options.log.warn('node reading not sent', { meter: node.meter, error: error.message }));
    req.on('timeout', () => undefined);
    req.end(body);
  }
}
