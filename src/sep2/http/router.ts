import { permissionsOf } from '../acl.js';
import type { DeviceRegistry, EndDeviceRecord } from '../devices.js';
import { BrokerUnavailableError } from '../../lib/local-broker.js';
import { writeMirrors, type MirrorContext } from '../mirrors/handlers.js';
import { MirrorLimitError } from '../mirrors/store.js';
import { QueryError } from '../resources/list-query.js';
import {
  readDeviceCapability, readEndDevices, readMirrors, readTime, readUsagePoints, type ReadContext,
} from '../resources/read-handlers.js';
import { BodyError } from '../xml/parse.js';
import type { IncomingSep2 } from './server.js';
import { notFound, reply, type Sep2Reply, type Sep2Request } from './types.js';

export interface RouterContext {
  read: ReadContext;
  mirrors: MirrorContext;
  devices: DeviceRegistry;
  unknownClients(): 'reject' | 'register';
  /** Every answered request, for status and the clients list. */
  onAnswered?(client: EndDeviceRecord | undefined, request: IncomingSep2, status: number): void;
}

function readResource(context: ReadContext, request: Sep2Request): Sep2Reply | Promise<Sep2Reply> {
  switch (request.segments[0]) {
    case 'dcap': return request.segments.length === 1 ? readDeviceCapability(context, request) : notFound();
    case 'tm': return request.segments.length === 1 ? readTime(context) : notFound();
    case 'edev': return readEndDevices(context, request);
    case 'upt': return readUsagePoints(context, request);
    case 'mup': return readMirrors(context, request);
    default: return notFound();
  }
}

async function dispatch(context: RouterContext, request: Sep2Request): Promise<Sep2Reply> {
  if (request.method === 'GET' || request.method === 'HEAD') return readResource(context.read, request);
  if (request.segments[0] === 'mup') return writeMirrors(context.mirrors, request);
  return reply.error(405, `${request.method} is not allowed here`, { Allow: 'GET, HEAD' });
}

function failureReply(error: unknown): Sep2Reply {
  if (error instanceof BodyError || error instanceof QueryError) return reply.error(400, error.message);
  if (error instanceof MirrorLimitError) return reply.error(507, error.message);
  if (error instanceof BrokerUnavailableError) return reply.error(503, error.message, { 'Retry-After': '30' });
  throw error;
}

/** The client (listed, registering, or refused), its permissions, then the resource. */
export async function route(context: RouterContext, incoming: IncomingSep2): Promise<Sep2Reply> {
  const { identity } = incoming;
  const registering = context.unknownClients() === 'register';
  let client = context.devices.find(identity.lfdi);
  if (client && !client.role && !registering) client = undefined;
  if (!client && registering) client = context.devices.register(identity);
  if (!client) {
    context.onAnswered?.(undefined, incoming, 403);
    return reply.error(403, `client LFDI ${identity.lfdi} is not registered`);
  }
  const request: Sep2Request = {
    method: incoming.method,
    segments: incoming.url.pathname.split('/').filter(Boolean),
    query: incoming.url.searchParams,
    body: incoming.body,
    client,
    permissions: permissionsOf(client),
  };
  let answer: Sep2Reply;
  try {
    answer = await dispatch(context, request);
  } catch (error) {
    answer = failureReply(error);
  }
  context.onAnswered?.(client, incoming, answer.status);
  return answer;
}
