import { mayPostMirror, mayReadMirror } from '../acl.js';
import { forbidden, indexOf, notFound, reply, type Sep2Reply, type Sep2Request } from '../http/types.js';
import { parseDocument } from '../xml/parse.js';
import { mirrorMessages, type MirrorTopic, type TelemetryPublisher } from './forward.js';
import { parseMirrorMeterReading, parseMirrorUsagePoint, type MirrorMeterReadingInput } from './parse.js';
import { mirrorHref } from './render.js';
import { MirrorLimitError, type MirrorStore, type MirrorUsagePointRecord } from './store.js';

export interface MirrorContext {
  mirrors: MirrorStore;
  topic: () => MirrorTopic;
  publisher: TelemetryPublisher;
  now: () => number;
}

/** Forwards first: a reading the broker did not take is not stored, so the client's retry loses nothing. */
async function forward(context: MirrorContext, deviceLfdi: string, mrid: string, inputs: readonly MirrorMeterReadingInput[], existing?: MirrorUsagePointRecord): Promise<void> {
  const known = (meterReadingMrid: string) => existing?.meterReadings.find((reading) => reading.mrid === meterReadingMrid)?.readingType;
  const messages = mirrorMessages(context.topic().render(deviceLfdi, mrid), inputs, known, context.now());
  for (const message of messages) await context.publisher.publish(message.topic, message.payload);
}

async function postMirrorUsagePoint(context: MirrorContext, request: Sep2Request): Promise<Sep2Reply> {
  const input = parseMirrorUsagePoint(parseDocument(request.body, ['MirrorUsagePoint']).element);
  if (!mayPostMirror(request.permissions, request.client, input.deviceLfdi)) return forbidden(`post mirrors for device ${input.deviceLfdi}`);
  const existing = context.mirrors.find(input.mrid);
  if (existing && existing.input.deviceLfdi !== input.deviceLfdi) return reply.error(409, `mRID ${input.mrid} is mirrored for another device`);
  if (!existing && context.mirrors.size >= context.mirrors.capacity) throw new MirrorLimitError(`the server keeps at most ${context.mirrors.capacity} MirrorUsagePoints`);
  await forward(context, input.deviceLfdi, input.mrid, input.meterReadings, existing);
  const { record, created } = context.mirrors.upsert(input, context.now());
  return created ? reply.created(mirrorHref(record)) : reply.noContent();
}

/** POST /mup/<n>: a MirrorMeterReading (new mRID: 201 + Location, known: 204). */
async function postMirrorMeterReading(context: MirrorContext, request: Sep2Request, record: MirrorUsagePointRecord): Promise<Sep2Reply> {
  const input = parseMirrorMeterReading(parseDocument(request.body, ['MirrorMeterReading']).element);
  await forward(context, record.input.deviceLfdi, record.input.mrid, [input], record);
  const { reading, created } = context.mirrors.mergeMeterReading(record, input, context.now());
  return created ? reply.created(`${mirrorHref(record)}/${reading.index}`) : reply.noContent();
}

/** PUT /mup/<n>: the whole MirrorUsagePoint again, same mRID. */
async function putMirrorUsagePoint(context: MirrorContext, request: Sep2Request, record: MirrorUsagePointRecord): Promise<Sep2Reply> {
  const input = parseMirrorUsagePoint(parseDocument(request.body, ['MirrorUsagePoint']).element);
  if (input.mrid !== record.input.mrid) return reply.error(400, `MirrorUsagePoint: mRID ${input.mrid} differs from the one at ${mirrorHref(record)}`);
  if (input.deviceLfdi !== record.input.deviceLfdi) return reply.error(400, 'MirrorUsagePoint: deviceLFDI cannot change');
  await forward(context, input.deviceLfdi, input.mrid, input.meterReadings, record);
  context.mirrors.upsert(input, context.now());
  return reply.noContent();
}

export async function writeMirrors(context: MirrorContext, request: Sep2Request): Promise<Sep2Reply> {
  const [, id, ...rest] = request.segments;
  if (id === undefined) {
    if (request.method !== 'POST') return reply.error(405, `${request.method} is not allowed on /mup`, { Allow: 'GET, HEAD, POST' });
    return postMirrorUsagePoint(context, request);
  }
  const index = indexOf(id);
  const record = index === undefined ? undefined : context.mirrors.byIndex(index);
  if (!record || rest.length) return notFound();
  const { permissions, client } = request;
  if (!mayReadMirror(permissions, client, record.input.deviceLfdi) || !mayPostMirror(permissions, client, record.input.deviceLfdi)) {
    return forbidden(`change mirrors of device ${record.input.deviceLfdi}`);
  }
  if (request.method === 'POST') return postMirrorMeterReading(context, request, record);
  if (request.method === 'PUT') return putMirrorUsagePoint(context, request, record);
  if (request.method === 'DELETE') {
    context.mirrors.remove(record.input.mrid);
    return reply.noContent();
  }
  return reply.error(405, `${request.method} is not allowed on ${mirrorHref(record)}`, { Allow: 'GET, HEAD, POST, PUT, DELETE' });
}
