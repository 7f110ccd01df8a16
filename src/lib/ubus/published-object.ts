/** An object we publish on ubusd (`smartgrid.telemetry`): answers INVOKEs and sends notifications. */
import { jsObjectToBlobmsg, blobmsgFieldsToObject } from './blobmsg-js.js';
import type { UbusConnection } from './connection.js';
import { replyToInvoke, removeObject, type LocalObject, type LocalObjectHost } from './local-object.js';
import { attr, getAttr, UBUS_MSG, type UbusMessage } from './message.js';
import { encodeSignature } from './signature.js';
import { UBUS_STATUS, UbusError, type PublishedObject, type UbusArgs, type UbusMethod } from './types.js';

export class PublishedUbusObject implements PublishedObject, LocalObject {
  private objectId: number | undefined;
  private objectTypeId: number | undefined;
  private subscribed = false;
  private removed = false;

  constructor(readonly path: string, private readonly methods: Record<string, UbusMethod>, private readonly host: LocalObjectHost) {
    encodeSignature(methods); // rejects unknown argument types at publish time
  }

  get id(): number | undefined {
    return this.objectId;
  }

  get typeId(): number | undefined {
    return this.objectTypeId;
  }

  /** True while ubusd reports at least one subscriber (NOTIFY with ACTIVE). */
  get hasSubscribers(): boolean {
    return this.subscribed;
  }

  get description(): string {
    return `object ${this.path}`;
  }

  async register(connection: UbusConnection): Promise<void> {
    const context = `ubus add object ${this.path}`;
    const reply = await connection.request(UBUS_MSG.ADD_OBJECT, 0, [attr('OBJPATH', this.path), attr('SIGNATURE', encodeSignature(this.methods))], {
      timeoutMs: this.host.requestTimeoutMs,
      context,
    });
    const data = reply.data[0];
    const id = data ? getAttr(data, 'OBJID') : undefined;
    if (reply.status !== UBUS_STATUS.OK || id === undefined) throw new UbusError(reply.status || UBUS_STATUS.UNKNOWN_ERROR, context);
    this.objectId = id;
    this.objectTypeId = data ? getAttr(data, 'OBJTYPE') : undefined;
  }

  reset(): void {
    this.objectId = undefined;
    this.objectTypeId = undefined;
    this.subscribed = false;
  }

  /** ubusd tells the owner whether anyone subscribes (NOTIFY {OBJID, ACTIVE}). */
  handleSubscriptionChange(message: UbusMessage): void {
    this.subscribed = (getAttr(message, 'ACTIVE') ?? 0) !== 0;
  }

  async handleInvoke(connection: UbusConnection, message: UbusMessage): Promise<void> {
    const id = this.objectId!;
    const methodName = getAttr(message, 'METHOD') ?? '';
    const method = Object.prototype.hasOwnProperty.call(this.methods, methodName) ? this.methods[methodName] : undefined;
    if (!method) {
      replyToInvoke(connection, message, id, UBUS_STATUS.METHOD_NOT_FOUND);
      return;
    }
    const args = blobmsgFieldsToObject(getAttr(message, 'DATA') ?? []);
    try {
      const result = await method.handler(args, { method: methodName, user: getAttr(message, 'USER'), group: getAttr(message, 'GROUP') });
      replyToInvoke(connection, message, id, UBUS_STATUS.OK, result ? jsObjectToBlobmsg(result) : undefined);
    } catch (error) {
      if (error instanceof UbusError) {
        replyToInvoke(connection, message, id, error.code, error.data ? jsObjectToBlobmsg(error.data) : undefined);
      } else {
        this.host.log.error(`${this.path} ${methodName} failed`, { error: (error as Error)?.message ?? String(error) });
        replyToInvoke(connection, message, id, UBUS_STATUS.UNKNOWN_ERROR);
      }
    }
  }

  /** Sends a notification to subscribers; without a connection it is dropped (there is nobody to tell). */
  async notify(type: string, data: UbusArgs = {}): Promise<void> {
    const connection = this.host.connection;
    if (!connection?.isOpen || this.objectId === undefined) {
      this.host.log.debug(`notification ${type} of ${this.path} dropped: not registered`);
      return;
    }
    connection.send(UBUS_MSG.NOTIFY, this.objectId, [
      attr('OBJID', this.objectId),
      attr('METHOD', type),
      attr('DATA', jsObjectToBlobmsg(data)),
      attr('NO_REPLY', 1),
    ]);
  }

  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    this.host.forget(this);
    const connection = this.host.connection;
    const id = this.objectId;
    this.reset();
    if (connection?.isOpen && id !== undefined) await removeObject(connection, id, this.host.requestTimeoutMs, `ubus remove object ${this.path}`);
  }
}
