// A reading POSTed by a node: duplicate check, rate limit, decoding, node map, then the local broker.
// The answer waits for the broker's PUBACK: a confirmable request is ACKed (piggybacked 2.04) only
// once the reading is in the broker, and gets 5.03 if the broker cannot take it.
import type { IncomingMessage, OutgoingMessage } from 'coap';
import { RateLimitedLog, type Logger } from '../../lib/log.js';
import type { TopicPattern } from '../../telemetry/ingest/topic.js';
import type { ThreadBridgeCounters } from '../contract.js';
import { RecentExchanges } from './exchanges.js';
import type { ListenAddress } from './listener.js';
import type { NodeEntry, NodeMap } from './node-map.js';
import { decodeReading, REJECT_CODE, RejectError, type RejectReason } from './payload.js';
import type { NodeRateLimiter } from './rate-limit.js';

export interface UplinkOptions {
  /** Uri-Path of the reading resource, without slashes at the ends (`t`). */
  resource: string;
  maxPayloadBytes: number;
  topic: TopicPattern;
  nodes: NodeMap;
  exchanges: RecentExchanges;
  limiter: NodeRateLimiter;
  counters: ThreadBridgeCounters;
  /** Resolves on the broker's PUBACK. */
  publish(topic: string, payload: string): Promise<void>;
  /** A node heard for the first time, or again after it was lost. */
  onSeen(node: NodeEntry): void;
  log: Logger;
  now?: () => number;
}

interface Answer { code: string; payload?: string; maxAge?: number }

/** The coap library turns registered Content-Format numbers into media type names; back to numbers. */
const FORMAT_NUMBERS: Record<string, number> = {
  'text/plain': 0, 'application/link-format': 40, 'application/xml': 41, 'application/octet-stream': 42, 'application/exi': 47, 'application/json': 50, 'application/cbor': 60,
};

function contentFormatOf(request: IncomingMessage): number | string | undefined {
  const value: unknown = request._packet.options?.find((entry) => entry.name === 'Content-Format' || entry.name === 12)?.value;
  if (typeof value === 'string') return FORMAT_NUMBERS[value.split(';')[0]!] ?? value;
  if (typeof value === 'number') return value;
  if (Buffer.isBuffer(value)) return value.length === 0 ? 0 : value.readUIntBE(0, Math.min(value.length, 6));
  return undefined;
}

function send(response: OutgoingMessage, answer: Answer): void {
  response.code = answer.code;
  if (answer.maxAge !== undefined) response.setOption('Max-Age', answer.maxAge);
  if (answer.payload) response.setOption('Content-Format', 'text/plain');
  response.end(answer.payload);
}

export class UplinkHandler {
  private readonly rejectLog: RateLimitedLog;
  private readonly followers = new Map<string, OutgoingMessage[]>();
  private readonly now: () => number;

  constructor(private readonly options: UplinkOptions) {
    this.rejectLog = new RateLimitedLog(options.log);
    this.now = options.now ?? (() => Date.now());
  }

  handle(request: IncomingMessage, response: OutgoingMessage, local: ListenAddress): void {
    response.on('error', (error: Error) => this.options.log.debug('CoAP reply not delivered', { node: request.rsinfo.address, error: error.message }));
    const path = request.url.split('?')[0]!.replace(/^\/+|\/+$/g, '');
    if (path !== this.options.resource) return this.reject(response, request, 'not-found', `no resource /${path} here: readings go to /${this.options.resource}`);
    if (request.method !== 'POST' && request.method !== 'PUT') return this.reject(response, request, 'method', `${request.method} not allowed on /${path}: POST a reading`);
    const node = request.rsinfo.address;
    const key = RecentExchanges.key(request._packet.messageId ?? 0, request._packet.token ?? Buffer.alloc(0));
    const earlier = this.options.exchanges.get(node, key);
    if (earlier) return this.duplicate(response, node, key, earlier.state === 'done' ? earlier : undefined);
    this.options.counters.received++;
    if (!this.options.limiter.take(node)) {
      return this.reject(response, request, 'rate', `too many requests from ${node}: over node_rate`, this.options.limiter.retryAfterS(node));
    }
    this.options.exchanges.begin(node, key);
    void this.forward(request, local).then((answer) => {
      if (answer.code === REJECT_CODE.broker) this.options.exchanges.forget(node, key);
      else this.options.exchanges.finish(node, key, answer.code, answer.payload);
      send(response, answer);
      for (const follower of this.followers.get(`${node} ${key}`) ?? []) send(follower, answer);
      this.followers.delete(`${node} ${key}`);
    });
  }

  private async forward(request: IncomingMessage, local: ListenAddress): Promise<Answer> {
    const node = request.rsinfo.address;
    const receivedAt = this.now();
    let entry: NodeEntry | undefined;
    try {
      const decoded = decodeReading(request.payload, contentFormatOf(request), this.options.maxPayloadBytes, receivedAt);
      entry = this.options.nodes.resolve({ address: node, meter: decoded.reading.meter, eui64: decoded.eui64 });
      const topic = this.options.topic.render({ region: entry.region, dcu: entry.dcu, meter: entry.meter });
      if (!topic) throw new RejectError('schema', `telemetry_topic '${this.options.topic.pattern}' cannot be filled for meter ${entry.meter}`);
      await this.publish(topic, { ...decoded.reading, meter: entry.meter });
      this.contact(entry, receivedAt);
      entry.readings++;
      this.options.counters.forwarded++;
      return { code: '2.04' };
    } catch (error) {
      const known = entry ?? this.options.nodes.byNodeAddress(node);
      if (known) known.rejected++;
      if (error instanceof RejectError) return this.rejectAnswer(error.reason, error.message, node, local);
      this.options.log.error('CoAP reading failed', { node, error: (error as Error).message });
      return { code: '5.00', payload: 'internal error' };
    }
  }

  private async publish(topic: string, reading: object): Promise<void> {
    try {
      await this.options.publish(topic, JSON.stringify(reading));
    } catch (error) {
      throw new RejectError('broker', `reading not taken, try again: ${(error as Error).message}`);
    }
  }

  private contact(entry: NodeEntry, at: number): void {
    const first = entry.lastContactMs === undefined || entry.lost;
    entry.lastContactMs = at;
    entry.lost = false;
    if (first) this.options.onSeen(entry);
  }

  private duplicate(response: OutgoingMessage, node: string, key: string, done: Answer | undefined): void {
    this.options.counters.duplicates++;
    const entry = this.options.nodes.byNodeAddress(node);
    if (entry) entry.duplicates++;
    if (done) return send(response, done);
    const followers = this.followers.get(`${node} ${key}`) ?? [];
    followers.push(response);
    this.followers.set(`${node} ${key}`, followers);
  }

  private reject(response: OutgoingMessage, request: IncomingMessage, reason: RejectReason, detail: string, maxAge?: number): void {
    send(response, { ...this.rejectAnswer(reason, detail, request.rsinfo.address), ...(maxAge !== undefined ? { maxAge } : {}) });
  }

  private rejectAnswer(reason: RejectReason, detail: string, node: string, local?: ListenAddress): Answer {
    this.options.counters.rejected++;
    if (reason === 'bad-crc') this.options.counters.bad_crc++;
    this.rejectLog.warn(`${reason} ${node}`, 'CoAP reading rejected', { node, reason, detail, ...(local ? { to: local.address } : {}) });
    return { code: REJECT_CODE[reason], payload: detail };
  }
}
