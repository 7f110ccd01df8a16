/** What the client needs from the objects it owns on ubusd (published objects, event listeners, subscribers). */
import type { Logger } from '../log.js';
import type { UbusConnection } from './connection.js';
import { attr, getAttr, UBUS_MSG, type UbusMessage } from './message.js';
import { UBUS_STATUS, UbusError } from './types.js';
import type { BlobmsgField } from './blobmsg.js';

export interface LocalObjectHost {
  readonly connection: UbusConnection | undefined;
  readonly log: Logger;
  readonly requestTimeoutMs: number;
  /** Drops the object from the set re-registered after reconnects. */
  forget(object: LocalObject): void;
  /** Asks for `object.register()` to be retried later (e.g. a subscription target that is gone). */
  retryLater(object: LocalObject): void;
}

export interface LocalObject {
  /** ubusd's id for the object on the current connection; undefined while not registered. */
  readonly id: number | undefined;
  readonly description: string;
  register(connection: UbusConnection): Promise<void>;
  handleInvoke(connection: UbusConnection, message: UbusMessage): Promise<void>;
  /** The connection is gone; ids from it are meaningless. */
  reset(): void;
}

/** Sends the reply to an INVOKE addressed to `objectId`: DATA (when given) then STATUS, echoing seq and peer. */
export function replyToInvoke(connection: UbusConnection, message: UbusMessage, objectId: number, status: number, data?: BlobmsgField[]): void {
  if (getAttr(message, 'NO_REPLY')) return;
  if (!connection.isOpen) return;
  if (data) connection.send(UBUS_MSG.DATA, message.peer, [attr('OBJID', objectId), attr('DATA', data)], message.seq);
  connection.send(UBUS_MSG.STATUS, message.peer, [attr('STATUS', status), attr('OBJID', objectId)], message.seq);
}

/** ADD_OBJECT without path or signature: an object that only receives events or notifications. */
export async function addAnonymousObject(connection: UbusConnection, timeoutMs: number, context: string): Promise<number> {
  const reply = await connection.request(UBUS_MSG.ADD_OBJECT, 0, [], { timeoutMs, context });
  const id = reply.data.map((message) => getAttr(message, 'OBJID')).find((value) => value !== undefined);
  if (reply.status !== UBUS_STATUS.OK || id === undefined) throw new UbusError(reply.status || UBUS_STATUS.UNKNOWN_ERROR, context);
  return id;
}

export async function removeObject(connection: UbusConnection, id: number, timeoutMs: number, context: string): Promise<void> {
  const reply = await connection.request(UBUS_MSG.REMOVE_OBJECT, 0, [attr('OBJID', id)], { timeoutMs, context });
  if (reply.status !== UBUS_STATUS.OK) throw new UbusError(reply.status, context);
}
