import type { Logger } from '../../lib/log.js';
import type { QueueRecord, TelemetryQueue } from '../queue-port.js';
import { BoundedMap } from '../rules/types.js';
import { probeTcp, ReconnectTimer } from './reconnect.js';
import { BatchEncoder, type Batch } from './batch.js';
import { PayloadPool } from './payload-pool.js';
import type { ResolvedUpstream } from './resolver.js';
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
  /** critical-only mode: only alarm and event records go upstream; telemetry stays queued. */
  criticalOnly?: boolean;
  /** How long an uplink check waits for the broker's PINGRESP; default 2000 ms. */
  uplinkCheckTimeoutMs?: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** Meters remembered as announced per connection (LRU); default 20,000. */
  maxAnnounced?: number;
  /** While in backoff after a transport failure, how often a TCP connect checks whether the upstream is back; default 2000 ms. */
  probeIntervalMs?: number;
  /** Finds the upstream's address before each connect (per-uplink DNS, last-known-good); default: the session's own lookup. */
  resolver?: { resolve(): Promise<ResolvedUpstream> };
  onConnect?(): void;
  onDisconnect?(reason: string): void;
  onRpc?(payload: Buffer): void;
  onSent?(readings: number, bytes: number): void;
}

export type ConnectionState = 'connecting' | 'connected' | 'backoff' | 'stopped';

export interface UplinkCheck {
  /** Unix ms when the check started. */
  at: number;
  reason: string;
  /** `alive`: the session answered; `reconnect`: it did not (or was not connected) and a new one was started at once. */
  outcome: 'alive' | 'reconnect';
  ms: number;
}

interface InflightBatch { seqs: QueueRecord['seq'][]; critical: number }

/**
 * Moves records from the queue to ThingsBoard: peek -> batch -> publish QoS 1 -> ack on PUBACK.
 * On a lost connection every unacknowledged record is released back to the queue and sent again
 * (in queue order) after the reconnect, so nothing is lost and per-meter order is kept.
 * After every (re)connect the whole backlog goes out at once (full batches, then the last partial
 * one); only batches that start filling afterwards wait for `lingerMs`.
 */
export class Forwarder {
  state: ConnectionState = 'stopped';
  lastError = '';
  connectedSince = 0;
  lastUplinkCheck: UplinkCheck | undefined;
  private session: UpstreamSession | undefined;
  private readonly reconnect: ReconnectTimer;
  /** Meters announced (`v1/gateway/connect`) on this connection, least recently sent forgotten first. */
  private readonly announced: BoundedMap<true>;
  private readonly inflight = new Map<number, InflightBatch>();
  private inflightReadings = 0;
  private inflightCritical = 0;
  private checkingUplink = false;
  private reconnectAtOnce = false;
  private batchId = 0;
  private pendingSince = 0;
  private lingerTimer: NodeJS.Timeout | undefined;
  private flushing = false;
  private pumping = false;
  private readonly pool = new PayloadPool();
  private readonly encoder: BatchEncoder;

  constructor(private options: ForwarderOptions) {
    const probeIntervalMs = options.probeIntervalMs ?? 2000;
    this.reconnect = new ReconnectTimer({
      initialMs: options.backoffInitialMs, maxMs: options.backoffMaxMs, probeIntervalMs,
      probe: () => probeTcp(this.options.upstream.upstream_host, this.options.upstream.upstream_port, probeIntervalMs),
    });
    this.announced = new BoundedMap(options.maxAnnounced ?? 20_000);
    this.encoder = new BatchEncoder(this.batchOptions(), (bytes) => this.pool.take(bytes));
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
    this.reconnect.cancel();
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

  /**
   * The uplink may have changed under the session (the LTE watchdog switched the mode after a WAN
   * loss or recovery): a TCP session on a dead path only notices at the keepalive timeout, so prove it
   * now with a PINGREQ; without an answer within the check timeout it is dropped and a new session is
   * opened at once (no backoff for this attempt). Unacknowledged records go back to the queue as on
   * any lost connection. A pending retry or a connect attempt still under way is restarted at once.
   */
  async checkUplink(reason: string, moved = false): Promise<UplinkCheck | undefined> {
    if (this.state === 'stopped' || this.checkingUplink) return undefined;
    const at = Date.now();
    const session = this.session;
    if (moved && this.state === 'connected' && session) return this.moveSession(session, reason, at);
    if (this.state !== 'connected' || !session) {
      const check: UplinkCheck = { at, reason, outcome: 'reconnect', ms: 0 };
      this.lastUplinkCheck = check;
      this.options.log.info('uplink changed while not connected: connecting now', { reason, state: this.state });
      if (this.state === 'backoff') {
        this.reconnect.cancel();
        this.connect();
      } else if (session) {
        this.reconnectAtOnce = true;
        session.close('uplink changed while connecting');
      }
      return check;
    }
    const timeoutMs = this.options.uplinkCheckTimeoutMs ?? 2000;
    this.checkingUplink = true;
    let alive: boolean;
    try {
      alive = await session.ping(timeoutMs);
    } finally {
      this.checkingUplink = false;
    }
    const check: UplinkCheck = { at, reason, outcome: alive ? 'alive' : 'reconnect', ms: Date.now() - at };
    this.lastUplinkCheck = check;
    if (this.session !== session) return check;
    if (alive) {
      this.options.log.info('uplink changed: upstream session still answers', { reason, ms: check.ms });
      return check;
    }
    this.options.log.warn('uplink changed: no PINGRESP, reconnecting now', { reason, timeout_ms: timeoutMs });
    this.reconnectAtOnce = true;
    session.close(`no PINGRESP within ${timeoutMs} ms after an uplink change`);
    return check;
  }

  /**
   * The watchdog moved traffic to another uplink: the session is bound to the old uplink's source
   * address (policy routing keeps it there), so it is dropped and a new one opened at once.
   */
  private moveSession(session: UpstreamSession, reason: string, at: number): UplinkCheck {
    const check: UplinkCheck = { at, reason, outcome: 'reconnect', ms: 0 };
    this.lastUplinkCheck = check;
    this.options.log.notice('uplink moved: reconnecting over the new uplink', { reason });
    this.reconnectAtOnce = true;
    session.close('uplink moved');
    return check;
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
      this.reconnect.reset();
      this.announced.clear();
      this.flushing = true;
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
      let delay = 0;
      if (this.reconnectAtOnce) this.reconnect.now(() => this.connect());
      else delay = this.reconnect.schedule(session.transportFailure ? 'transport' : 'refused', () => this.connect());
      this.reconnectAtOnce = false;
      this.options.log.warn(wasConnected ? 'ThingsBoard connection lost, retrying' : 'cannot connect to ThingsBoard, retrying', {
        error: reason, retry_ms: delay, ...(session.transportFailure && delay ? { probing: 'tcp' } : {}),
      });
    });
    const resolver = this.options.resolver;
    if (!resolver) return session.open();
    resolver.resolve().then((resolved) => session.open(resolved.address), (error: Error) => session.close(error.message));
  }

  private releaseInflight(): void {
    const seqs = [...this.inflight.values()].flatMap((batch) => batch.seqs);
    this.inflight.clear();
    this.inflightReadings = 0;
    this.inflightCritical = 0;
    if (seqs.length) this.options.queue.release(seqs);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.state === 'connected' && this.inflight.size < this.options.maxInflight && this.due()) {
        const batches = this.takeBatches();
        if (!batches.length) { this.flushing = false; break; }
        for (const batch of batches) this.send(batch);
      }
    } finally {
      this.pumping = false;
    }
  }

  private batchOptions() {
    return { maxBytes: this.options.batchMaxBytes, maxReadings: this.options.batchMaxReadings, dropUnchanged: this.options.dropUnchanged };
  }

  /**
   * The next batches. Straight from the queue's read buffer into a reused payload buffer when the queue
   * offers `peekEach` (a backlog drain then allocates no buffer per record or per batch), otherwise
   * (and in critical-only mode) through `peek`.
   */
  private takeBatches(): Batch[] {
    this.pool.capacity = this.options.batchMaxBytes;
    this.pool.keep = this.options.maxInflight + 1;
    this.encoder.options = this.batchOptions();
    const { queue } = this.options;
    if (this.options.criticalOnly || !queue.peekEach) {
      const records = this.takeRecords();
      const batches: Batch[] = [];
      for (const record of records) {
        if (this.encoder.offer(record.seq, record.key, record.payload, record.priority !== 'telemetry')) continue;
        batches.push(this.encoder.finish()!);
        this.encoder.offer(record.seq, record.key, record.payload, record.priority !== 'telemetry');
      }
      const last = this.encoder.finish();
      return last ? [...batches, last] : batches;
    }
    const batches: Batch[] = [];
    queue.peekEach(this.options.batchMaxReadings, this.options.batchMaxBytes, (seq, priority, key, payload) => {
      if (this.encoder.offer(seq, key, payload, priority !== 'telemetry')) return;
      batches.push(this.encoder.finish()!);
      this.encoder.offer(seq, key, payload, priority !== 'telemetry');
    });
    const last = this.encoder.finish();
    if (last) batches.push(last);
    return batches;
  }

  /**
   * The next records to send. In critical-only mode the queue (alarms first, then events, then
   * telemetry) is asked for no more than the pending alarm and event records; telemetry that still
   * comes back is released at once, so it stays queued in its place.
   */
  private takeRecords(): QueueRecord[] {
    const { batchMaxReadings, batchMaxBytes, criticalOnly } = this.options;
    if (!criticalOnly) return this.options.queue.peek(batchMaxReadings, batchMaxBytes);
    const wanted = Math.min(batchMaxReadings, this.pendingCritical());
    if (wanted <= 0) return [];
    const records = this.options.queue.peek(wanted, batchMaxBytes);
    const held = records.filter((record) => record.priority === 'telemetry');
    if (held.length) this.options.queue.release(held.map((record) => record.seq));
    return held.length ? records.filter((record) => record.priority !== 'telemetry') : records;
  }

  private pendingCritical(): number {
    const { depth } = this.options.queue.stats();
    return depth.alarm + depth.event - this.inflightCritical;
  }

  /** Whether to send now: a full batch, an alarm, a flush, or the oldest pending record waited long enough. */
  private due(): boolean {
    const { depth, inFlight } = this.options.queue.stats();
    const pending = this.options.criticalOnly
      ? depth.alarm + depth.event - this.inflightCritical
      : depth.alarm + depth.event + depth.telemetry - (inFlight ?? this.inflightReadings);
    clearTimeout(this.lingerTimer);
    if (pending <= 0) { this.pendingSince = 0; this.flushing = false; return false; }
    const now = Date.now();
    if (!this.pendingSince) this.pendingSince = now;
    if (this.flushing || this.options.criticalOnly || depth.alarm > 0 || pending >= this.options.batchMaxReadings || now - this.pendingSince >= this.options.lingerMs) return true;
    this.lingerTimer = setTimeout(() => this.pump(), this.pendingSince + this.options.lingerMs - now);
    return false;
  }

  private send(batch: Batch): void {
    const { critical, readings } = batch;
    const bytes = batch.payload.length;
    const session = this.session;
    if (!session) { this.options.queue.release(batch.seqs); this.pool.give(batch.payload); return; }
    const id = ++this.batchId;
    this.inflight.set(id, { seqs: batch.seqs, critical });
    this.inflightReadings += batch.seqs.length;
    this.inflightCritical += critical;
    this.pendingSince = 0;
    for (const meter of batch.meters) {
      const known = this.announced.get(meter);
      this.announced.set(meter, true);
      if (known) continue;
      session.publish(TOPIC_CONNECT, JSON.stringify({ device: meter })).catch(() => undefined);
    }
    session.publish(TOPIC_TELEMETRY, batch.payload).then(
      async () => {
        if (!this.inflight.delete(id)) return;
        // PUBACK: the broker has the whole packet, the client holds no reference to the payload any more.
        this.pool.give(batch.payload);
        this.inflightReadings -= batch.seqs.length;
        this.inflightCritical -= critical;
        try {
          await this.options.queue.ack(batch.seqs);
        } catch (error) {
          this.options.log.error('queue ack failed', { error: String(error) });
        }
        this.options.onSent?.(readings, bytes);
        this.pump();
      },
      () => undefined /* the close handler released the records */,
    );
  }
}
