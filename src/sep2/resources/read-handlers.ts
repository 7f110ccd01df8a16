import { mayReadDevice, mayReadMirror } from '../acl.js';
import type { GatewayClock } from '../clock.js';
import type { DeviceRegistry } from '../devices.js';
import { forbidden, indexOf, notFound, reply, type Sep2Reply, type Sep2Request } from '../http/types.js';
import { mirrorUsagePoint, mirrorUsagePointList } from '../mirrors/render.js';
import type { MirrorStore } from '../mirrors/store.js';
import type { UsagePointStore } from '../usage-points.js';
import { deviceCapability } from './device-capability.js';
import { endDevice, endDeviceHref, endDeviceList, registration } from './end-device.js';
import { pageOf, parseListQuery } from './list-query.js';
import { timeResource } from './time.js';
import { meterReading, meterReadingList, reading, readingType, usagePoint, usagePointList } from './usage-point.js';

export interface ReadContext {
  devices: DeviceRegistry;
  usagePoints: UsagePointStore;
  mirrors: MirrorStore;
  clock: GatewayClock;
  pollRate: () => number;
  postRate: () => number;
}

export function readDeviceCapability(context: ReadContext, request: Sep2Request): Sep2Reply {
  const { client, permissions } = request;
  const visibleDevices = permissions.endDevices === 'all' ? context.devices.list().length : 1;
  const visibleMirrors = context.mirrors.list().filter((record) => mayReadMirror(permissions, client, record.input.deviceLfdi)).length;
  return reply.ok(deviceCapability({
    pollRate: context.pollRate(),
    endDevices: visibleDevices,
    usagePoints: permissions.usagePoints ? context.usagePoints.size : 0,
    mirrors: visibleMirrors,
    selfDeviceHref: endDeviceHref(client),
  }));
}

export async function readTime(context: ReadContext): Promise<Sep2Reply> {
  return reply.ok(timeResource(await context.clock.read(), context.pollRate()));
}

export function readEndDevices(context: ReadContext, request: Sep2Request): Sep2Reply {
  const [, id, sub, ...rest] = request.segments;
  const { client, permissions } = request;
  if (id === undefined) {
    const visible = context.devices.list().filter((device) => mayReadDevice(permissions, client, device));
    return reply.ok(endDeviceList(pageOf(visible, parseListQuery(request.query), (device) => device.changedTime), context.pollRate()));
  }
  const index = indexOf(id);
  const device = index === undefined ? undefined : context.devices.byIndex(index);
  if (!device || rest.length) return notFound();
  if (!mayReadDevice(permissions, client, device)) return forbidden('read other EndDevices');
  if (sub === undefined) return reply.ok(endDevice(device));
  if (sub === 'rg' && device.pin !== undefined) return reply.ok(registration(device, device.pin, context.pollRate()));
  return notFound();
}

export function readUsagePoints(context: ReadContext, request: Sep2Request): Sep2Reply {
  if (!request.permissions.usagePoints) return forbidden('read usage points');
  const [, pointId, mr, readingId, leaf, ...rest] = request.segments;
  const query = () => parseListQuery(request.query);
  if (pointId === undefined) return reply.ok(usagePointList(pageOf(context.usagePoints.list(), query(), (p) => p.changed), context.pollRate()));
  const pointIndex = indexOf(pointId);
  const point = pointIndex === undefined ? undefined : context.usagePoints.get(pointIndex);
  if (!point || rest.length || (mr !== undefined && mr !== 'mr')) return notFound();
  if (mr === undefined) return reply.ok(usagePoint(point));
  if (readingId === undefined) return reply.ok(meterReadingList(point, pageOf(point.readings, query(), (r) => r.changed)));
  const readingIndex = indexOf(readingId);
  const record = readingIndex === undefined ? undefined : point.readings[readingIndex];
  if (!record) return notFound();
  if (leaf === undefined) return reply.ok(meterReading(point, record));
  if (leaf === 'rt') return reply.ok(readingType(point, record));
  if (leaf === 'r') return reply.ok(reading(point, record));
  return notFound();
}

export function readMirrors(context: ReadContext, request: Sep2Request): Sep2Reply {
  const [, id, ...rest] = request.segments;
  const { client, permissions } = request;
  if (id === undefined) {
    const visible = context.mirrors.list().filter((record) => mayReadMirror(permissions, client, record.input.deviceLfdi));
    return reply.ok(mirrorUsagePointList(pageOf(visible, parseListQuery(request.query), (m) => m.changed), context.pollRate(), context.postRate()));
  }
  const index = indexOf(id);
  const record = index === undefined ? undefined : context.mirrors.byIndex(index);
  if (!record || rest.length) return notFound();
  if (!mayReadMirror(permissions, client, record.input.deviceLfdi)) return forbidden("read other devices' mirrors");
  return reply.ok(mirrorUsagePoint(record, context.postRate()));
}
