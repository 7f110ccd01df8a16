/**
 * The project's ubus client: speaks the ubusd wire protocol over the unix socket, publishes objects,
 * listens to events, subscribes to notifications, and re-registers all of it after ubusd restarts.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import type { BlobmsgField } from './blobmsg.js';
import { blobmsgFieldsToObject, jsObjectToBlobmsg } from './blobmsg-js.js';
import { UbusConnection, type UbusReply } from './connection.js';
import { replyToInvoke, type LocalObject, type LocalObjectHost } from './local-object.js';
import { attr, describeMessage, getAttr, UBUS_MSG, UBUS_SYSTEM_OBJECT_EVENT, type UbusMessage } from './message.js';
import { PublishedUbusObject } from './published-object.js';
import { EventListener, NotifySubscriber } from './receivers.js';
import { decodeSignature } from './signature.js';
import {
  UBUS_STATUS,
  UbusError,
  type CallOptions,
  type EventHandler,
  type NotifyHandler,
  type ObjectInfo,
  type PublishedObject,
  type Subscription,
  type Ubus,
  type UbusArgs,
  type UbusMethod,
} from './types.js';

export const DEFAULT_UBUS_SOCKET = '/var/run/ubus/ubus.sock';

export interface UbusClientOptions {
  /** Default: `process.env.SMARTGRID_UBUS_SOCKET ?? '/var/run/ubus/ubus.sock'`. */
  socketPath?: string;
  log: Logger;
  /** First reconnect delay; doubles per failed attempt up to `maxReconnectDelayMs`. Default 1000. */
  reconnectDelayMs?: number;
  /** Default 30000. */
  maxReconnectDelayMs?: number;
  /** Default timeout of requests and calls. Default 30000 (the `ubus` CLI's default). */
  timeoutMs?: number;
}

/** A call's raw outcome: the status and the typed fields of each DATA reply. */
export interface RawCallResult {
  status: number;
  data: BlobmsgField[][];
}

export class UbusClient extends EventEmitter implements Ubus {
  readonly socketPath: string;
  private readonly log: Logger;
  private readonly reconnectDelayMs: number;
  private readonly maxReconnectDelayMs: number;
  private readonly timeoutMs: number;
  private connection: UbusConnection | undefined;
  private connecting: Promise<void> | undefined;
  private started = false;
  private closed = false;
  private failedAttempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly objects = new Set<LocalObject>();
  private readonly retryPending = new Set<LocalObject>();
  private readonly host: LocalObjectHost;

  constructor(options: UbusClientOptions) {
    super();
    this.socketPath = options.socketPath ?? process.env.SMARTGRID_UBUS_SOCKET ?? DEFAULT_UBUS_SOCKET;
    this.log = options.log;
    this.reconnectDelayMs = Math.max(10, options.reconnectDelayMs ?? 1000);
    this.maxReconnectDelayMs = Math.max(this.reconnectDelayMs, options.maxReconnectDelayMs ?? 30_000);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const client = this;
    this.host = {
      get connection() {
        return client.connection;
      },
      log: this.log,
      requestTimeoutMs: this.timeoutMs,
      forget: (object) => {
        this.objects.delete(object);
        this.retryPending.delete(object);
      },
      retryLater: (object) => this.scheduleRetry(object),
    };
  }

  get connected(): boolean {
    return this.connection?.isOpen ?? false;
  }

  /** Our client id on the current connection (the peer of ubusd's HELLO). */
  get clientId(): number | undefined {
    return this.connection?.clientId;
  }

  /** One connection attempt; rejects with UbusError CONNECTION_FAILED. */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new UbusError(UBUS_STATUS.CONNECTION_FAILED, 'ubus client is closed'));
    if (this.connected) return Promise.resolve();
    this.connecting ??= this.establish().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Connects in the background and keeps reconnecting (with backoff) until `close()`. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.attemptReconnect();
  }

  private attemptReconnect(): void {
    this.reconnectTimer = undefined;
    if (this.closed || this.connected) return;
    this.connect().catch((error: Error) => {
      this.failedAttempts++;
      const delay = Math.min(this.reconnectDelayMs * 2 ** Math.min(this.failedAttempts - 1, 16), this.maxReconnectDelayMs);
      const log = this.failedAttempts === 1 ? this.log.warn.bind(this.log) : this.log.debug.bind(this.log);
      log(`cannot connect to ubusd, retrying in ${delay} ms`, { socket: this.socketPath, error: error.message, attempt: this.failedAttempts });
      this.scheduleReconnect(delay);
    });
  }

  private scheduleReconnect(delay: number): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => this.attemptReconnect(), delay);
  }

  private async establish(): Promise<void> {
    const connection = await UbusConnection.open(this.socketPath, this.log);
    if (this.closed) {
      connection.close();
      throw new UbusError(UBUS_STATUS.CONNECTION_FAILED, 'ubus client is closed');
    }
    this.connection = connection;
    connection.on('message', (message: UbusMessage) => this.handleMessage(connection, message));
    connection.on('close', () => this.handleDisconnect(connection));
    for (const object of [...this.objects]) {
      object.reset();
      await this.registerOrRetry(object);
    }
    if (this.failedAttempts > 0) this.log.notice('connected to ubusd', { socket: this.socketPath, attempts: this.failedAttempts + 1 });
    this.failedAttempts = 0;
    this.emit('connect');
  }

  private handleDisconnect(connection: UbusConnection): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    for (const object of this.objects) object.reset();
    if (this.closed) return;
    this.emit('disconnect');
    this.log.warn('lost the connection to ubusd', { socket: this.socketPath });
    if (this.started) this.scheduleReconnect(this.reconnectDelayMs);
  }

  private async registerOrRetry(object: LocalObject): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    try {
      await object.register(connection);
      this.retryPending.delete(object);
    } catch (error) {
      if (!this.objects.has(object) || connection !== this.connection) return;
      this.log.debug(`cannot register ${object.description}, will retry`, { error: (error as Error).message });
      this.scheduleRetry(object);
    }
  }

  private scheduleRetry(object: LocalObject): void {
    if (!this.objects.has(object)) return;
    this.retryPending.add(object);
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.connected) return;
      const due = [...this.retryPending];
      this.retryPending.clear();
      void (async () => {
        for (const item of due) await this.registerOrRetry(item);
      })();
    }, this.reconnectDelayMs);
  }

  private handleMessage(connection: UbusConnection, message: UbusMessage): void {
    const objectId = getAttr(message, 'OBJID');
    const owner = [...this.objects].find((object) => object.id !== undefined && object.id === objectId);
    switch (message.type) {
      case UBUS_MSG.INVOKE:
        if (!owner) {
          replyToInvoke(connection, message, objectId ?? 0, UBUS_STATUS.NOT_FOUND);
          return;
        }
        owner.handleInvoke(connection, message).catch((error: Error) => this.log.error('INVOKE handling failed', { error: error.message }));
        return;
      case UBUS_MSG.NOTIFY:
        if (owner instanceof PublishedUbusObject) owner.handleSubscriptionChange(message);
        return;
      case UBUS_MSG.UNSUBSCRIBE:
        if (owner instanceof NotifySubscriber) owner.handleTargetGone();
        return;
      default:
        this.log.debug('ignoring unsolicited ubus message', { message: describeMessage(message) });
    }
  }

  private requireConnection(context: string): UbusConnection {
    const connection = this.connection;
    if (!connection?.isOpen) throw new UbusError(UBUS_STATUS.CONNECTION_FAILED, `${context} (not connected to ${this.socketPath})`);
    return connection;
  }

  private async request(type: number, peer: number, attrs: Parameters<UbusConnection['request']>[2], context: string, timeoutMs = this.timeoutMs): Promise<UbusReply> {
    return this.requireConnection(context).request(type, peer, attrs, { timeoutMs, context });
  }

  private async lookupObjectId(path: string, context: string, timeoutMs: number): Promise<number> {
    const reply = await this.request(UBUS_MSG.LOOKUP, 0, [attr('OBJPATH', path)], context, timeoutMs);
    const id = reply.data.map((message) => getAttr(message, 'OBJID')).find((value) => value !== undefined);
    if (reply.status !== UBUS_STATUS.OK) throw new UbusError(reply.status, context);
    // A non-root caller whose ACL hides the object gets STATUS 0 without DATA.
    if (id === undefined) throw new UbusError(UBUS_STATUS.NOT_FOUND, context);
    return id;
  }

  /** Looks up `path` and invokes `method` with typed fields; resolves with any status (throws on lookup/timeout/connection). */
  async callFields(path: string, method: string, fields: BlobmsgField[], options: CallOptions = {}): Promise<RawCallResult> {
    const context = `ubus call ${path} ${method}`;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    const id = await this.lookupObjectId(path, context, timeoutMs);
    const reply = await this.request(UBUS_MSG.INVOKE, id, [attr('OBJID', id), attr('METHOD', method), attr('DATA', fields)], context, Math.max(1, deadline - Date.now()));
    return { status: reply.status, data: reply.data.map((message) => getAttr(message, 'DATA') ?? []) };
  }

  async call(path: string, method: string, args: UbusArgs = {}, options: CallOptions = {}): Promise<UbusArgs> {
    const result = await this.callFields(path, method, jsObjectToBlobmsg(args), options);
    const data = Object.assign({}, ...result.data.map(blobmsgFieldsToObject)) as UbusArgs;
    if (result.status !== UBUS_STATUS.OK) throw new UbusError(result.status, `ubus call ${path} ${method}`, result.data.length ? data : undefined);
    return data;
  }

  /** Objects matching `pattern` (exact path, or a prefix ending in `*`; all when omitted). None found -> []. */
  async lookup(pattern?: string): Promise<ObjectInfo[]> {
    const context = `ubus list ${pattern ?? ''}`.trim();
    const reply = await this.request(UBUS_MSG.LOOKUP, 0, pattern ? [attr('OBJPATH', pattern)] : [], context);
    if (reply.status === UBUS_STATUS.NOT_FOUND) return [];
    if (reply.status !== UBUS_STATUS.OK) throw new UbusError(reply.status, context);
    return reply.data.map((message) => ({
      path: getAttr(message, 'OBJPATH') ?? '',
      id: getAttr(message, 'OBJID') ?? 0,
      type: getAttr(message, 'OBJTYPE') ?? 0,
      signature: decodeSignature(getAttr(message, 'SIGNATURE') ?? []),
    }));
  }

  async send(event: string, data: UbusArgs = {}): Promise<void> {
    const context = `ubus send ${event}`;
    const reply = await this.request(UBUS_MSG.INVOKE, UBUS_SYSTEM_OBJECT_EVENT, [
      attr('OBJID', UBUS_SYSTEM_OBJECT_EVENT),
      attr('METHOD', 'send'),
      attr('DATA', [{ type: 'string', name: 'id', value: event }, { type: 'table', name: 'data', value: jsObjectToBlobmsg(data) }]),
    ], context);
    if (reply.status !== UBUS_STATUS.OK) throw new UbusError(reply.status, context);
  }

  /** Adds a local object; registers it now when connected (failure rejects), else once connected. */
  private async adopt<T extends LocalObject & { remove?(): Promise<void>; unsubscribe?(): Promise<void> }>(object: T): Promise<T> {
    this.objects.add(object);
    const connection = this.connection;
    if (!connection?.isOpen) return object;
    try {
      await object.register(connection);
    } catch (error) {
      await (object.remove ?? object.unsubscribe)?.call(object).catch(() => undefined);
      this.objects.delete(object);
      throw error;
    }
    return object;
  }

  /** Publishes `path`; while disconnected the handle is returned at once and registered on connect. */
  async publish(path: string, methods: Record<string, UbusMethod>): Promise<PublishedObject & { readonly hasSubscribers: boolean }> {
    return this.adopt(new PublishedUbusObject(path, methods, this.host));
  }

  async listen(pattern: string, handler: EventHandler): Promise<Subscription> {
    return this.adopt(new EventListener(pattern, handler, this.host));
  }

  async subscribe(path: string, handler: NotifyHandler): Promise<Subscription> {
    return this.adopt(new NotifySubscriber(path, handler, this.host));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.reconnectTimer = undefined;
    this.retryTimer = undefined;
    this.objects.clear();
    this.retryPending.clear();
    this.connection?.close();
  }
}
