/**
 * ubusd's message handlers (ubusd_proto.c): each returns a status for ubusd to send, or HANDLED when the
 * handler answered (or forwarded) by itself. Replies echo the request's seq and peer.
 */
import { blobmsgFieldsToObject } from '../../../src/lib/ubus/blobmsg-js.js';
import { attr, getAttr, UBUS_MSG, UBUS_SYSTEM_OBJECT_EVENT, type UbusAttr, type UbusMessage } from '../../../src/lib/ubus/message.js';
import { UBUS_STATUS } from '../../../src/lib/ubus/types.js';
import { UBUS_SYSTEM_OBJECT_MAX, type StandInClient, type StandInObject, type UbusdState } from './state.js';

export const HANDLED = -1;

function reply(client: StandInClient, request: UbusMessage, type: number, attrs: UbusAttr[]): void {
  client.send({ type, seq: request.seq, peer: request.peer, attrs });
}

function sendObject(client: StandInClient, request: UbusMessage, object: StandInObject): void {
  reply(client, request, UBUS_MSG.DATA, [
    attr('OBJPATH', object.path!),
    attr('OBJID', object.id),
    attr('OBJTYPE', object.type!.id),
    attr('SIGNATURE', object.type!.methods),
  ]);
}

function lookup(state: UbusdState, client: StandInClient, request: UbusMessage): number {
  const path = getAttr(request, 'OBJPATH');
  if (path === undefined) {
    for (const object of state.pathObjects()) sendObject(client, request, object);
    return UBUS_STATUS.OK;
  }
  if (path.length === 0) return UBUS_STATUS.INVALID_ARGUMENT;
  if (!path.endsWith('*')) {
    const object = state.findPath(path);
    if (!object) return UBUS_STATUS.NOT_FOUND;
    if (object.type) sendObject(client, request, object);
    return UBUS_STATUS.OK;
  }
  const prefix = path.slice(0, -1);
  const matches = state.pathObjects().filter((object) => object.path!.startsWith(prefix));
  for (const object of matches) sendObject(client, request, object);
  return matches.length > 0 ? UBUS_STATUS.OK : UBUS_STATUS.NOT_FOUND;
}

function addObject(state: UbusdState, client: StandInClient, request: UbusMessage): number {
  const signature = getAttr(request, 'SIGNATURE');
  const object = state.createObject(client, { path: getAttr(request, 'OBJPATH'), typeId: getAttr(request, 'OBJTYPE'), signature });
  if (!object) return UBUS_STATUS.INVALID_ARGUMENT;
  const attrs = [attr('OBJID', object.id)];
  if (signature && object.type) attrs.push(attr('OBJTYPE', object.type.id));
  reply(client, request, UBUS_MSG.DATA, attrs);
  return UBUS_STATUS.OK;
}

function removeObject(state: UbusdState, client: StandInClient, request: UbusMessage): number {
  const id = getAttr(request, 'OBJID');
  if (id === undefined) return UBUS_STATUS.INVALID_ARGUMENT;
  const object = state.objects.get(id);
  if (!object) return UBUS_STATUS.NOT_FOUND;
  if (object.client !== client) return UBUS_STATUS.PERMISSION_DENIED;
  const attrs = [attr('OBJID', object.id)];
  if (object.type && object.type.refcount === 1) attrs.push(attr('OBJTYPE', object.type.id));
  reply(client, request, UBUS_MSG.DATA, attrs);
  state.freeObject(object);
  return UBUS_STATUS.OK;
}

function forwardInvoke(client: StandInClient, object: StandInObject, method: string, request: UbusMessage, leading: UbusAttr[] = []): void {
  const data = getAttr(request, 'DATA');
  const attrs: UbusAttr[] = [...leading, attr('OBJID', object.id), attr('METHOD', method), attr('USER', client.user), attr('GROUP', client.group)];
  if (data) attrs.push(attr('DATA', data));
  object.client!.send({ type: UBUS_MSG.INVOKE, seq: request.seq, peer: client.id, attrs });
}

function eventObjectInvoke(state: UbusdState, client: StandInClient, method: string, request: UbusMessage): number {
  const data = getAttr(request, 'DATA');
  if (method === 'register') {
    if (!data) return UBUS_STATUS.INVALID_ARGUMENT;
    const objectField = data.find((field) => field.name === 'object' && field.type === 'int32');
    const patternField = data.find((field) => field.name === 'pattern' && field.type === 'string');
    if (!objectField || !patternField) return UBUS_STATUS.INVALID_ARGUMENT;
    const id = (objectField.value as number) >>> 0;
    if (id < UBUS_SYSTEM_OBJECT_MAX) return UBUS_STATUS.PERMISSION_DENIED;
    const object = state.objects.get(id);
    if (!object) return UBUS_STATUS.NOT_FOUND;
    if (object.client !== client) return UBUS_STATUS.PERMISSION_DENIED;
    const pattern = patternField.value as string;
    if (pattern.length === 0) return UBUS_STATUS.PERMISSION_DENIED;
    state.addPattern(object, pattern);
    return UBUS_STATUS.OK;
  }
  if (method === 'send') {
    if (!data) return UBUS_STATUS.INVALID_ARGUMENT;
    const idField = data.find((field) => field.name === 'id' && field.type === 'string');
    const dataField = data.find((field) => field.name === 'data' && field.type === 'table');
    if (!idField || !dataField) return UBUS_STATUS.INVALID_ARGUMENT;
    const id = idField.value as string;
    if (id.startsWith('ubus.')) return UBUS_STATUS.PERMISSION_DENIED;
    const eventData = dataField.type === 'table' ? dataField.value : [];
    state.sendEvent(client, id, (receiverId) => [attr('OBJID', receiverId), attr('METHOD', id), attr('DATA', eventData)]);
    return UBUS_STATUS.OK;
  }
  return UBUS_STATUS.INVALID_COMMAND;
}

/** METHOD and the object named by OBJID of an invoke or notify, or the status refusing the request. */
function methodCall(state: UbusdState, request: UbusMessage): { method: string; object: StandInObject } | number {
  const method = getAttr(request, 'METHOD');
  const id = getAttr(request, 'OBJID');
  if (method === undefined || id === undefined) return UBUS_STATUS.INVALID_ARGUMENT;
  const object = state.objects.get(id);
  if (!object) return UBUS_STATUS.NOT_FOUND;
  return { method, object };
}

function invoke(state: UbusdState, client: StandInClient, request: UbusMessage): number {
  const call = methodCall(state, request);
  if (typeof call === 'number') return call;
  const { method, object } = call;
  if (!object.client) return object.id === UBUS_SYSTEM_OBJECT_EVENT ? eventObjectInvoke(state, client, method, request) : UBUS_STATUS.INVALID_COMMAND;
  forwardInvoke(client, object, method, request);
  return HANDLED;
}

function notify(state: UbusdState, client: StandInClient, request: UbusMessage): number {
  const call = methodCall(state, request);
  if (typeof call === 'number') return call;
  const { method, object } = call;
  const noReply = (getAttr(request, 'NO_REPLY') ?? 0) !== 0;
  if (object.client !== client) return UBUS_STATUS.PERMISSION_DENIED;
  if (!noReply) {
    reply(client, request, UBUS_MSG.STATUS, [
      attr('OBJID', object.id),
      attr('SUBSCRIBERS', object.subscribers.map((subscription) => subscription.subscriber.id)),
      attr('STATUS', UBUS_STATUS.OK),
    ]);
  }
  for (const subscription of object.subscribers) {
    forwardInvoke(client, subscription.subscriber, method, request, noReply ? [attr('NO_REPLY', 1)] : []);
  }
  return HANDLED;
}

/** A DATA/STATUS from an object owner: relayed to the client named by peer, with peer = the object id. */
function response(state: UbusdState, client: StandInClient, message: UbusMessage): number {
  const id = getAttr(message, 'OBJID');
  if (id === undefined) return HANDLED;
  if (message.type === UBUS_MSG.STATUS && getAttr(message, 'STATUS') === undefined) return HANDLED;
  if (message.type === UBUS_MSG.DATA && getAttr(message, 'DATA') === undefined) return HANDLED;
  const object = state.objects.get(id);
  if (!object || object.client !== client) return HANDLED;
  state.clients.get(message.peer)?.send({ ...message, peer: id });
  return HANDLED;
}

/** The client's own subscriber object (OBJID) and TARGET of a (un)subscribe, or the status refusing it. */
function subscriberRequest(state: UbusdState, client: StandInClient, request: UbusMessage): { object: StandInObject; targetId: number } | number {
  const id = getAttr(request, 'OBJID');
  const targetId = getAttr(request, 'TARGET');
  if (id === undefined || targetId === undefined) return UBUS_STATUS.INVALID_ARGUMENT;
  const object = state.objects.get(id);
  if (!object) return UBUS_STATUS.NOT_FOUND;
  if (object.client !== client) return UBUS_STATUS.INVALID_ARGUMENT;
  return { object, targetId };
}

function subscribe(state: UbusdState, client: StandInClient, request: UbusMessage): number {
  const parsed = subscriberRequest(state, client, request);
  if (typeof parsed === 'number') return parsed;
  const { object, targetId } = parsed;
  const target = state.objects.get(targetId);
  if (!target?.client) return UBUS_STATUS.NOT_FOUND;
  if (target.client === client) return UBUS_STATUS.INVALID_ARGUMENT;
  state.subscribe(object, target);
  return UBUS_STATUS.OK;
}

function unsubscribe(state: UbusdState, client: StandInClient, request: UbusMessage): number {
  const parsed = subscriberRequest(state, client, request);
  if (typeof parsed === 'number') return parsed;
  const { object, targetId } = parsed;
  const subscription = object.targets.find((item) => item.target.id === targetId);
  if (!subscription) return UBUS_STATUS.NOT_FOUND;
  state.unsubscribe(subscription);
  return UBUS_STATUS.OK;
}

/** Handles one message from `client`, sending the STATUS reply when the handler asks for one. */
export function handleMessage(state: UbusdState, client: StandInClient, message: UbusMessage): void {
  let status: number;
  switch (message.type) {
    case UBUS_MSG.PING:
      client.send({ ...message, type: UBUS_MSG.DATA });
      return;
    case UBUS_MSG.LOOKUP: status = lookup(state, client, message); break;
    case UBUS_MSG.ADD_OBJECT: status = addObject(state, client, message); break;
    case UBUS_MSG.REMOVE_OBJECT: status = removeObject(state, client, message); break;
    case UBUS_MSG.INVOKE: status = invoke(state, client, message); break;
    case UBUS_MSG.NOTIFY: status = notify(state, client, message); break;
    case UBUS_MSG.STATUS:
    case UBUS_MSG.DATA: status = response(state, client, message); break;
    case UBUS_MSG.SUBSCRIBE: status = subscribe(state, client, message); break;
    case UBUS_MSG.UNSUBSCRIBE: status = unsubscribe(state, client, message); break;
    default: status = UBUS_STATUS.INVALID_COMMAND;
  }
  if (status !== HANDLED) reply(client, message, UBUS_MSG.STATUS, [attr('STATUS', status)]);
}

/** For logs and the `--verbose` CLI of the stand-in. */
export function describeEventData(message: UbusMessage): string {
  return JSON.stringify(blobmsgFieldsToObject(getAttr(message, 'DATA') ?? []));
}
