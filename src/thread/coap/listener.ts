// One CoAP server socket per address of the Thread interface, so a reply leaves from the address the
// request was sent to: the mesh-local addresses on wpan0 are deprecated, and a reply from a socket
// bound to [::] would leave from the OMR address, which the node does not take as the same peer
// (../shared/conformance/otbr/README.md, "reply from the address the request was sent to").
import { networkInterfaces } from 'node:os';
import { createServer, type IncomingMessage, type OutgoingMessage, type Server } from 'coap';
import type { Logger } from '../../lib/log.js';

/** About 10,000 empty ACKs (the library counts the bytes of each answer). */
const RESPONSE_CACHE_BYTES = 64 * 1024;

export interface ListenAddress {
  /** As bound: link-local addresses carry their `%interface` scope. */
  address: string;
  port: number;
}

export type RequestHandler = (request: IncomingMessage, response: OutgoingMessage, local: ListenAddress) => void;

export interface CoapListenerOptions {
  port: number;
  /** Fixed addresses (UCI `coap_listen`); empty: every IPv6 address of `interfaceName`, followed. */
  addresses: readonly string[];
  interfaceName: string;
  /** How often the interface's addresses are re-read; default 5 s. */
  pollMs?: number;
  /** Longest time the piggybacked ACK may wait for the handler (beyond it the library would send an empty ACK). */
  piggybackReplyMs: number;
  log: Logger;
  onRequest: RequestHandler;
  /** For tests: the addresses of an interface. */
  interfaceAddresses?: (name: string) => string[];
}

/** Every IPv6 address of the interface, deprecated ones included (they are what nodes talk to). */
export function interfaceIPv6Addresses(name: string): string[] {
  return (networkInterfaces()[name] ?? []).filter((entry) => entry.family === 'IPv6')
    .map((entry) => (entry.address.startsWith('fe80:') ? `${entry.address}%${name}` : entry.address));
}

export class CoapListener {
  private readonly servers = new Map<string, Server>();
  private timer: NodeJS.Timeout | undefined;
  private warnedNone = false;

  constructor(private readonly options: CoapListenerOptions) {}

  get listening(): ListenAddress[] {
    return [...this.servers.keys()].map((address) => ({ address, port: this.options.port }));
  }

  async start(): Promise<void> {
    await this.sync();
    if (this.options.addresses.length) return;
    this.timer = setInterval(() => { void this.sync(); }, this.options.pollMs ?? 5000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.servers.keys()].map((address) => this.close(address)));
  }

  /** Opens a socket for each new address and closes the ones of addresses that went away. */
  async sync(): Promise<void> {
    const wanted = this.options.addresses.length ? [...this.options.addresses] : (this.options.interfaceAddresses ?? interfaceIPv6Addresses)(this.options.interfaceName);
    if (!wanted.length && !this.warnedNone) this.options.log.warn(`no IPv6 address on ${this.options.interfaceName} yet: CoAP not listening until one appears`);
    this.warnedNone = !wanted.length;
    const closing = [...this.servers.keys()].filter((address) => !wanted.includes(address)).map((address) => this.close(address));
    const opening = wanted.filter((address) => !this.servers.has(address)).map((address) => this.open(address));
    await Promise.all([...closing, ...opening]);
  }

  private open(address: string): Promise<void> {
    const server = createServer({
      type: 'udp6', piggybackReplyMs: this.options.piggybackReplyMs, sendAcksForNonConfirmablePackets: true,
      // The library keeps every answer (and a timer with it) for the exchange lifetime (247 s) by default, up to
      // 32 MiB: millions of entries at thousands of readings/s. A small cache is enough for quick retransmissions;
      // later duplicates are found by RecentExchanges and get the same answer again.
      cacheSize: RESPONSE_CACHE_BYTES,
    });
    const local: ListenAddress = { address, port: this.options.port };
    server.on('request', (request: IncomingMessage, response: OutgoingMessage) => this.options.onRequest(request, response, local));
    return new Promise((resolve) => {
      const failed = (error: Error) => {
        this.options.log.warn('cannot listen for CoAP', { address, port: this.options.port, error: error.message });
        server.close();
        resolve();
      };
      server.once('error', failed);
      server.listen(this.options.port, address, (error?: Error) => {
        if (error) return failed(error);
        server.off('error', failed);
        server.on('error', (later: Error) => this.options.log.warn('CoAP socket error', { address, error: later.message }));
        this.servers.set(address, server);
        this.options.log.info('listening for CoAP', { address, port: this.options.port });
        resolve();
      });
    });
  }

  private close(address: string): Promise<void> {
    const server = this.servers.get(address);
    this.servers.delete(address);
    if (!server) return Promise.resolve();
    this.options.log.info('CoAP address gone, socket closed', { address });
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
