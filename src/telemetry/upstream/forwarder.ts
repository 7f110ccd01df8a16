import type { Logger } from '../../lib/log.js';
import type { QueueRecord, TelemetryQueue } from '../queue-port.js';
import { Backoff } from './backoff.js';
import { buildBatches, type Batch } from './batch.js';
import { TOPIC_CONNECT, TOPIC_TELEMETRY, UpstreamSession, type UpstreamConfig } from './session.js';

export interface ForwarderOptions {
  queue: TelemetryQueue;
  upstream: UpstreamConfig;
  log: Logger;
  batchMaxBytes: number;
  batchMaxReadings: number;
  maxInflight: number;
  /** How long a partly filled batch may wait (depends on the mode). */
  lingerMs: number;
  dropUnchanged: boolean;
  backoffInitialMs: number;
  backoffMaxMs: number;
  onConnect?(): void;
  onDisconnect?(reason: string): void;
  onRpc?(payload: Buffer): void;
  onSent?(readings: number, bytes: number): void;
}

export type ConnectionState = 'connecting' | 'connected' | 'backoff' | 'stopped';

/**
 * Moves records from the queue to ThingsBoard: peek -> batch -> publish QoS 1 -> ack on PUBACK.
 * On a lost connection every unacknowledged record is released back to the queue and sent again
 * (in queue order) after the reconnect, so nothing is lost and per-meter order is kept.
 */
export class Forwarder {
  state: ConnectionState = 'stopped';
  lastError = '';
  connectedSince = 0;
  private session: UpstreamSession | undefined;
  private readonly backoff: Backoff;
  private readonly announced = new Set<string>();
  private readonly inflight = new Map<number, QueueRecord['seq'][]>();
  private inflightReadings = 0;
  private batchId = 0;
  private pendingSince = 0;
  private lingerTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private flushing = false;
  private pumping = false;

  constructor(private options: ForwarderOptions) {
    this.backoff = new Backoff(options.backoffInitialMs, options.backoffMaxMs);
  }

  start(): void {
    if (this.state !== 'stopped') return;
    this.connect();
  }

  /** New settings; the connection is rebuilt only if upstream settings changed. */
  update(options: Partial<ForwarderOptions>): void {
    const reconnect = options.upstream && JSON.stringify(options.upstream) !== JSON.stringify(this.options.upstream);
    this.options = { ...this.options, ...options };
    if (reconnect && this.session) this.session.close();
    this.pump();
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.lingerTimer);
    clearTimeout(this.retryTimer);
    this.session?.close();
  }

  /** Sends everything pending now, ignoring the batching interval. */
  flush(): void {
    this.flushing = true;
    this.pump();
  }

  /** Called after new records were appended. */
  notify(): void {
    this.pump();
  }

  get url(): string { return new UpstreamSession(this.options.upstream).url; }
  get inflightBatches(): number { return this.inflight.size; }

  publishRpc(payload: string): Promise<void> {
    return this.session && this.state === 'connected' ? this.session.publish('v1/gateway/rpc', payload) : Promise.reject(new Error('upstream not connected'));
  }

  private connect(): void {
    this.state = 'connecting';
    const session = new UpstreamSession(this.options.upstream);
    this.session = session;
    session.on('connect', () => {
      if (this.session !== session) return;
      this.state = 'connected';
      this.connectedSince = Date.now();
      this.lastError = '';
      this.backoff.reset();
      this.announced.clear();
      this.options.log.notice('connected to ThingsBoard', { url: session.url });
      this.options.onConnect?.();
      this.pump();
    });
    session.on('rpc', (payload) => this.options.onRpc?.(payload));
    session.on('close', (reason) => {
      if (this.session !== session) return;
      this.session = undefined;
      const wasConnected = this.state === 'connected';
      this.releaseInflight();
      this.lastError = reason;
      if (wasConnected) this.options.onDisconnect?.(reason);
      if (this.state === 'stopped') return;
      this.state = 'backoff';
      const delay = this.backoff.next();
      this.options.log.warn(wasConnected ? 'ThingsBoard connection lost, retrying' : 'cannot connect to ThingsBoard, retrying', { error: reason, retry_ms: delay });
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
    session.open();
  }

  private releaseInflight(): void {
    const seqs = [...this.inflight.values()].flat();
    this.inflight.clear();
    this.inflightReadings = 0;
    if (seqs.length) this.options.queue.release(seqs);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.state === 'connected' && this.inflight.size < this.options.maxInflight && this.due()) {
        const records = this.options.queue.peek(this.options.batchMaxReadings, this.options.batchMaxBytes);
        if (!records.length) { this.flushing = false; break; }
        for (const batch of buildBatches(records, { maxBytes: this.options.batchMaxBytes, maxReadings: this.options.batchMaxReadings, dropUnchanged: this.options.dropUnchanged })) {
          this.send(batch);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Whether to send now: a full batch, an alarm, a flush, or the oldest pending record waited long enough. */
  private due(): boolean {
    const { depth, inFlight } = this.options.queue.stats();
    const pending = depth.alarm + depth.event + depth.telemetry - (inFlight ?? this.inflightReadings);
    clearTimeout(this.lingerTimer);
    if (pending <= 0) { this.pendingSince = 0; this.flushing = false; return false; }
    const now = Date.now();
    if (!this.pendingSince) this.pendingSince = now;
    if (this.flushing || depth.alarm > 0 || pending >= this.options.batchMaxReadings || now - this.pendingSince >= this.options.lingerMs) return true;
    this.lingerTimer = setTimeout(() => this.pump(), this.pendingSince + this.options.lingerMs - now);
    return false;
  }

  private send(batch: Batch): void {
    const session = this.session;
    if (!session) { this.options.queue.release(batch.seqs); return; }
    const id = ++this.batchId;
    this.inflight.set(id, batch.seqs);
    this.inflightReadings += batch.seqs.length;
    this.pendingSince = 0;
    for (const meter of batch.meters) {
      if (this.announced.has(meter)) continue;
      this.announced.add(meter);
      session.publish(TOPIC_CONNECT, JSON.stringify({ device: meter })).catch(() => undefined);
    }
    session.publish(TOPIC_TELEMETRY, batch.payload).then(
      async () => {
        if (!this.inflight.delete(id)) return;
        this.inflightReadings -= batch.seqs.length;
        try {
          await this.options.queue.ack(batch.seqs);
        } catch (error) {
          this.options.log.error('queue ack failed', { error: String(error) });
        }
        this.options.onSent?.(batch.readings, batch.payload.length);
        this.pump();
      },
      () => undefined /* the close handler released the records */,
    );
  }
}
