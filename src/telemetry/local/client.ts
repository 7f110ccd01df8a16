import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';
import type { Logger } from '../../lib/log.js';
import { PacketGuard, type OversizedPublish } from './packet-guard.js';

// On its first write mqtt-packet otherwise pre-builds one 2-byte buffer per message id (65,536 Buffer
// objects, ~6 MB of heap for the life of the process); mqtt.js (upstream) turns the cache off the same way.
mqttPacket.writeToStream.cacheNumbers = false;

export interface LocalBrokerOptions {
  host: string;
  port: number;
  clientId: string;
  username?: string;
  password?: string;
  /** Subscribed with QoS 1 after every (re)connect. */
  filters: string[];
  keepaliveS?: number;
  reconnectMs?: number;
  /** Best-effort publishes are dropped while the socket holds more than this unsent; default 1 MB. */
  maxUnsentBytes?: number;
  /** Larger packets are not buffered: a PUBLISH is skipped as it streams in and reported as `oversized`. */
  maxPacketBytes?: number;
  log: Logger;
}

/** Called to send the PUBACK; a no-op when the connection the message came on is gone. */
export type Ack = () => void;

export interface LocalBrokerEvents {
  message: [topic: string, payload: Buffer, ack: Ack];
  /** A PUBLISH above maxPacketBytes: only its head was read. */
  oversized: [publish: OversizedPublish, ack: Ack];
  connect: [];
  disconnect: [reason: string];
}

/**
 * A small MQTT 3.1.1 client for the local broker. Unlike mqtt.js it lets the caller send each
 * PUBACK later (after the reading is fsync'd) without stalling the incoming stream, so many
 * messages share one disk commit. The session is persistent (clean=false): messages that were
 * never acknowledged are redelivered by the broker after a reconnect or a crash.
 */
export class LocalBroker extends EventEmitter<LocalBrokerEvents> {
  private socket: Socket | undefined;
  private generation = 0;
  private nextMessageId = 1;
  private stopped = false;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private awaitingPong = false;
  private paused = false;
  private guard: PacketGuard | undefined;
  connected = false;
  lastError = '';
  droppedPublishes = 0;

  constructor(private readonly options: LocalBrokerOptions) {
    super();
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepaliveTimer);
    const socket = this.socket;
    if (!socket) return;
    if (this.connected) this.write({ cmd: 'disconnect' });
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => { socket.destroy(); resolve(); }, 500).unref();
    });
  }

  /**
   * Best effort (QoS 0); false when not connected or when the socket already holds more than
   * `maxUnsentBytes` the broker has not taken (backpressure: dropped, counted in `droppedPublishes`,
   * never buffered without bound). PUBACKs and pings are always written.
   */
  publish(topic: string, payload: Buffer | string): boolean {
    if (!this.connected) return false;
    if ((this.socket?.writableLength ?? 0) > (this.options.maxUnsentBytes ?? 1024 * 1024)) { this.droppedPublishes++; return false; }
    return this.write({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false });
  }

  /**
   * Stops reading from the broker (TCP backpressure) while the caller cannot take more messages;
   * the broker keeps the rest in our persistent session. Pings are still sent, so the broker keeps
   * the connection while we are paused.
   */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket?.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.awaitingPong = false;
    this.socket?.resume();
  }

  get isPaused(): boolean { return this.paused; }

  subscribe(filters: string[]): void {
    for (const filter of filters) if (!this.options.filters.includes(filter)) this.options.filters.push(filter);
    if (this.connected && filters.length) this.sendSubscribe(filters);
  }

  private open(): void {
    const generation = ++this.generation;
    this.paused = false;
    const { host, port, log } = this.options;
    const socket = connect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (packet: Packet) => this.onPacket(packet, generation));
    parser.on('error', (error: Error) => { this.lastError = `protocol error: ${error.message}`; socket.destroy(); });
    const guard = new PacketGuard({
      maxPacketBytes: this.options.maxPacketBytes ?? 268_435_455,
      forward: (chunk) => parser.parse(chunk),
      onOversized: (publish) => this.emit('oversized', publish, this.ackFor(publish.qos, publish.messageId, generation)),
      onError: (message) => { this.lastError = `protocol error: ${message}`; socket.destroy(); },
    });
    this.guard = guard;
    socket.on('data', (chunk: Buffer) => guard.push(chunk));
    socket.on('connect', () => {
      this.write({
        cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: false, clientId: this.options.clientId,
        keepalive: this.options.keepaliveS ?? 30,
        ...(this.options.username ? { username: this.options.username } : {}),
        ...(this.options.password ? { password: Buffer.from(this.options.password) } : {}),
      });
    });
    socket.on('error', (error: Error) => { this.lastError = error.message; });
    socket.on('close', () => {
      if (generation !== this.generation) return;
      const wasConnected = this.connected;
      this.connected = false;
      this.socket = undefined;
      clearInterval(this.keepaliveTimer);
      if (wasConnected) this.emit('disconnect', this.lastError || 'connection closed');
      if (this.stopped) return;
      log.debug('local broker connection closed, retrying', { error: this.lastError });
      this.reconnectTimer = setTimeout(() => this.open(), this.options.reconnectMs ?? 1000);
    });
  }

  private onPacket(packet: Packet, generation: number): void {
    switch (packet.cmd) {
      case 'connack':
        if (packet.returnCode !== 0) {
          this.lastError = `local broker refused the connection (return code ${packet.returnCode})`;
          this.socket?.destroy();
          return;
        }
        this.connected = true;
        this.lastError = '';
        this.sendSubscribe(this.options.filters);
        this.startKeepalive();
        this.emit('connect');
        return;
      case 'publish': {
        const { messageId, qos } = packet;
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
        this.emit('message', packet.topic, payload, this.ackFor(qos, messageId, generation));
        return;
      }
      case 'pingresp':
        this.awaitingPong = false;
        return;
      case 'suback':
        if (packet.granted.some((code) => typeof code === 'number' && code >= 0x80)) {
          this.lastError = 'local broker refused a subscription';
          this.options.log.error('local broker refused a subscription', { filters: this.options.filters.join(' ') });
        }
        return;
      default:
        return;
    }
  }

  /** Most bytes of one oversized PUBLISH held at once on the current connection. */
  get oversizedHeldMax(): number { return this.guard?.heldMax ?? 0; }

  private ackFor(qos: number, messageId: number | undefined, generation: number): Ack {
    return qos > 0 && messageId !== undefined
      ? () => { if (generation === this.generation && this.connected) this.write({ cmd: 'puback', messageId }); }
      : () => undefined;
  }

  private sendSubscribe(filters: string[]): void {
    if (!filters.length) return;
    this.write({ cmd: 'subscribe', messageId: this.allocateId(), subscriptions: filters.map((topic) => ({ topic, qos: 1 as const })) });
  }

  private startKeepalive(): void {
    clearInterval(this.keepaliveTimer);
    this.awaitingPong = false;
    const periodMs = ((this.options.keepaliveS ?? 30) * 1000) / 2;
    this.keepaliveTimer = setInterval(() => {
      if (this.awaitingPong && !this.paused) { this.lastError = 'keepalive timeout'; this.socket?.destroy(); return; }
      this.awaitingPong = !this.paused;
      this.write({ cmd: 'pingreq' });
    }, periodMs);
    this.keepaliveTimer.unref();
  }

  private allocateId(): number {
    const id = this.nextMessageId;
    this.nextMessageId = id >= 0xffff ? 1 : id + 1;
    return id;
  }

  private write(packet: Packet): boolean {
    if (!this.socket || this.socket.destroyed) return false;
    this.socket.write(mqttPacket.generate(packet));
    return true;
  }
}
