/**
 * ubusd's bookkeeping (clients, objects, object types, subscriptions, event patterns) with the same rules
 * as ubusd_obj.c / ubusd_event.c: random 32-bit ids >= 1024, paths sorted like an avl string tree, types
 * shared through OBJTYPE and freed with their last object, NOTIFY {ACTIVE} on the first/last subscriber.
 */
import { randomBytes } from 'node:crypto';
import type { BlobmsgField } from '../../../src/lib/ubus/blobmsg.js';
import { attr, UBUS_MSG, type UbusAttr, type UbusMessage } from '../../../src/lib/ubus/message.js';

export const UBUS_SYSTEM_OBJECT_MAX = 1024;

export interface StandInClient {
  id: number;
  user: string;
  group: string;
  objects: Set<StandInObject>;
  send(message: UbusMessage): void;
}

export interface ObjectType {
  id: number;
  methods: BlobmsgField[];
  refcount: number;
}

export interface Subscription {
  subscriber: StandInObject;
  target: StandInObject;
}

export interface EventPattern {
  key: string;
  partial: boolean;
  object: StandInObject;
}

export interface StandInObject {
  id: number;
  path?: string;
  type?: ObjectType;
  /** undefined for ubusd's own objects (the event object, id 1). */
  client?: StandInClient;
  invokeSeq: number;
  subscribers: Subscription[];
  targets: Subscription[];
  patterns: EventPattern[];
  eventSeen: number;
}

/** Fills an event message for one receiving object. */
export type EventBuilder = (receiverId: number) => UbusAttr[];

function randomId(taken: Map<number, unknown>): number {
  for (;;) {
    const id = randomBytes(4).readUInt32BE(0);
    if (id >= UBUS_SYSTEM_OBJECT_MAX && !taken.has(id)) return id;
  }
}

export class UbusdState {
  readonly clients = new Map<number, StandInClient>();
  readonly objects = new Map<number, StandInObject>();
  readonly types = new Map<number, ObjectType>();
  private readonly paths = new Map<string, StandInObject>();
  private patterns: EventPattern[] = [];
  private eventSeq = 0;
  private objEventSeq = 0;

  allocClientId(): number {
    return randomId(this.clients);
  }

  createObject(client: StandInClient | undefined, options: { path?: string; typeId?: number; signature?: BlobmsgField[]; id?: number }): StandInObject | undefined {
    let type: ObjectType | undefined;
    if (options.typeId !== undefined) {
      type = this.types.get(options.typeId);
    } else if (options.signature) {
      type = { id: randomId(this.types), methods: options.signature.filter((method) => method.type === 'table'), refcount: 0 };
      this.types.set(type.id, type);
    }
    if (options.path !== undefined && this.paths.has(options.path)) {
      if (type && type.refcount === 0) this.types.delete(type.id);
      return undefined;
    }
    const object: StandInObject = {
      id: options.id ?? randomId(this.objects),
      path: options.path,
      type,
      client,
      invokeSeq: 0,
      subscribers: [],
      targets: [],
      patterns: [],
      eventSeen: 0,
    };
    if (type) type.refcount++;
    this.objects.set(object.id, object);
    if (options.path !== undefined) {
      this.paths.set(options.path, object);
      this.sendObjectEvent(object, 'ubus.object.add');
    }
    client?.objects.add(object);
    return object;
  }

  freeObject(object: StandInObject): void {
    for (const subscription of [...object.targets]) this.unsubscribe(subscription);
    for (const subscription of [...object.subscribers]) {
      const subscriber = subscription.subscriber;
      subscriber.client?.send({
        type: UBUS_MSG.UNSUBSCRIBE,
        seq: ++subscriber.invokeSeq & 0xffff,
        peer: 0,
        attrs: [attr('OBJID', subscriber.id), attr('TARGET', object.id)],
      });
      this.unsubscribe(subscription);
    }
    this.patterns = this.patterns.filter((pattern) => pattern.object !== object);
    if (object.path !== undefined) {
      this.sendObjectEvent(object, 'ubus.object.remove');
      this.paths.delete(object.path);
    }
    object.client?.objects.delete(object);
    this.objects.delete(object.id);
    if (object.type && --object.type.refcount === 0) this.types.delete(object.type.id);
  }

  /** Objects with a path and a type, sorted as ubusd's path tree (strcmp order). */
  pathObjects(): StandInObject[] {
    return [...this.paths.values()].filter((object) => object.type).sort((a, b) => (a.path! < b.path! ? -1 : a.path! > b.path! ? 1 : 0));
  }

  findPath(path: string): StandInObject | undefined {
    return this.paths.get(path);
  }

  subscribe(subscriber: StandInObject, target: StandInObject): void {
    const first = target.subscribers.length === 0;
    const subscription = { subscriber, target };
    target.subscribers.unshift(subscription);
    subscriber.targets.unshift(subscription);
    if (first) this.notifySubscription(target);
  }

  unsubscribe(subscription: Subscription): void {
    const { subscriber, target } = subscription;
    target.subscribers = target.subscribers.filter((item) => item !== subscription);
    subscriber.targets = subscriber.targets.filter((item) => item !== subscription);
    if (target.subscribers.length === 0) this.notifySubscription(target);
  }

  private notifySubscription(target: StandInObject): void {
    target.client?.send({
      type: UBUS_MSG.NOTIFY,
      seq: ++target.invokeSeq & 0xffff,
      peer: 0,
      attrs: [attr('OBJID', target.id), attr('ACTIVE', target.subscribers.length > 0 ? 1 : 0)],
    });
  }

  addPattern(object: StandInObject, pattern: string): void {
    const partial = pattern.endsWith('*');
    const entry = { key: partial ? pattern.slice(0, -1) : pattern, partial, object };
    object.patterns.push(entry);
    this.patterns.push(entry);
  }

  /** Delivers an event to every matching listener object once, never back to the sending client. */
  sendEvent(sender: StandInClient | undefined, id: string, build: EventBuilder): void {
    this.objEventSeq++;
    const sorted = [...this.patterns].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const pattern of sorted) {
      const matches = pattern.key === id || (pattern.partial && id.startsWith(pattern.key));
      if (!matches) continue;
      const receiver = pattern.object;
      if (!receiver.client || receiver.client === sender || receiver.eventSeen === this.objEventSeq) continue;
      receiver.eventSeen = this.objEventSeq;
      this.eventSeq = (this.eventSeq + 1) & 0xffff;
      receiver.client.send({ type: UBUS_MSG.INVOKE, seq: this.eventSeq, peer: 0, attrs: build(receiver.id) });
    }
  }

  private sendObjectEvent(object: StandInObject, id: string): void {
    this.sendEvent(undefined, id, (receiverId) => [
      attr('OBJID', receiverId),
      attr('METHOD', id),
      attr('DATA', [
        { type: 'int32', name: 'id', value: object.id | 0 },
        { type: 'string', name: 'path', value: object.path ?? '' },
      ]),
    ]);
  }
}
