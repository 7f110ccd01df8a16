/** Anonymous objects that receive events (`listen`) and notifications (`subscribe`). */
import { blobmsgFieldsToObject } from './blobmsg-js.js';
import type { UbusConnection } from './connection.js';
import { addAnonymousObject, removeObject, replyToInvoke, type LocalObject, type LocalObjectHost } from './local-object.js';
import { attr, getAttr, UBUS_MSG, UBUS_SYSTEM_OBJECT_EVENT, type UbusMessage } from './message.js';
import { UBUS_STATUS, UbusError, type EventHandler, type NotifyHandler, type Subscription } from './types.js';

abstract class Receiver implements LocalObject, Subscription {
  protected objectId: number | undefined;
  private closed = false;

  constructor(protected readonly host: LocalObjectHost) {}

  abstract readonly description: string;
  abstract register(connection: UbusConnection): Promise<void>;
  protected abstract deliver(method: string, data: Record<string, unknown>): void;

  get id(): number | undefined {
    return this.objectId;
  }

  reset(): void {
    this.objectId = undefined;
  }

  protected async ensureObject(connection: UbusConnection): Promise<number> {
    if (this.objectId === undefined) {
      this.objectId = await addAnonymousObject(connection, this.host.requestTimeoutMs, `ubus add object for ${this.description}`);
    }
    return this.objectId;
  }

  async handleInvoke(connection: UbusConnection, message: UbusMessage): Promise<void> {
    try {
      this.deliver(getAttr(message, 'METHOD') ?? '', blobmsgFieldsToObject(getAttr(message, 'DATA') ?? []));
    } catch (error) {
      this.host.log.error(`handler of ${this.description} failed`, { error: (error as Error)?.message ?? String(error) });
    }
    replyToInvoke(connection, message, this.objectId!, UBUS_STATUS.OK);
  }

  protected async beforeRemove(_connection: UbusConnection): Promise<void> {}

  async unsubscribe(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.host.forget(this);
    const connection = this.host.connection;
    const id = this.objectId;
    if (!connection?.isOpen || id === undefined) return;
    await this.beforeRemove(connection);
    this.reset();
    await removeObject(connection, id, this.host.requestTimeoutMs, `ubus remove object of ${this.description}`);
  }
}

/** `ubus listen PATTERN`: an anonymous object registered with the event object (id 1). */
export class EventListener extends Receiver {
  constructor(readonly pattern: string, private readonly handler: EventHandler, host: LocalObjectHost) {
    super(host);
  }

  get description(): string {
    return `event listener '${this.pattern}'`;
  }

  async register(connection: UbusConnection): Promise<void> {
    const id = await this.ensureObject(connection);
    const context = `ubus listen ${this.pattern}`;
    const reply = await connection.request(UBUS_MSG.INVOKE, UBUS_SYSTEM_OBJECT_EVENT, [
      attr('OBJID', UBUS_SYSTEM_OBJECT_EVENT),
      attr('METHOD', 'register'),
      attr('DATA', [
        { type: 'int32', name: 'object', value: id | 0 },
        { type: 'string', name: 'pattern', value: this.pattern },
      ]),
    ], { timeoutMs: this.host.requestTimeoutMs, context });
    if (reply.status !== UBUS_STATUS.OK) throw new UbusError(reply.status, context);
  }

  protected deliver(event: string, data: Record<string, unknown>): void {
    this.handler(event, data);
  }
}

/** `ubus subscribe PATH`: an anonymous object subscribed to a published object's notifications. */
export class NotifySubscriber extends Receiver {
  private targetId: number | undefined;

  constructor(readonly path: string, private readonly handler: NotifyHandler, host: LocalObjectHost) {
    super(host);
  }

  get description(): string {
    return `subscription to ${this.path}`;
  }

  get target(): number | undefined {
    return this.targetId;
  }

  override reset(): void {
    super.reset();
    this.targetId = undefined;
  }

  async register(connection: UbusConnection): Promise<void> {
    const id = await this.ensureObject(connection);
    const lookupContext = `ubus subscribe ${this.path}`;
    const lookup = await connection.request(UBUS_MSG.LOOKUP, 0, [attr('OBJPATH', this.path)], { timeoutMs: this.host.requestTimeoutMs, context: lookupContext });
    const target = lookup.data.map((message) => getAttr(message, 'OBJID')).find((value) => value !== undefined);
    if (lookup.status !== UBUS_STATUS.OK || target === undefined) throw new UbusError(lookup.status || UBUS_STATUS.NOT_FOUND, lookupContext);
    const reply = await connection.request(UBUS_MSG.SUBSCRIBE, 0, [attr('OBJID', id), attr('TARGET', target)], {
      timeoutMs: this.host.requestTimeoutMs,
      context: lookupContext,
    });
    if (reply.status !== UBUS_STATUS.OK) throw new UbusError(reply.status, lookupContext);
    this.targetId = target;
  }

  /** ubusd sent UNSUBSCRIBE: the target object went away. Try again later; it may come back. */
  handleTargetGone(): void {
    this.targetId = undefined;
    this.host.retryLater(this);
  }

  protected override async beforeRemove(connection: UbusConnection): Promise<void> {
    if (this.targetId === undefined || this.objectId === undefined) return;
    await connection.request(UBUS_MSG.UNSUBSCRIBE, 0, [attr('OBJID', this.objectId), attr('TARGET', this.targetId)], {
      timeoutMs: this.host.requestTimeoutMs,
      context: `ubus unsubscribe ${this.path}`,
    });
  }

  protected deliver(type: string, data: Record<string, unknown>): void {
    this.handler(type, data);
  }
}
