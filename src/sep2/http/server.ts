import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../lib/log.js';
import { identityFromCertificate, type DeviceIdentity } from '../tls/lfdi.js';
import { renderDocument, SEP_MEDIA_TYPE } from '../xml/element.js';
import type { Sep2Reply } from './types.js';

/** Raised while reading a request; answered with its status. */
export class RequestError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export interface IncomingSep2 {
  method: string;
  url: URL;
  body: string;
  identity: DeviceIdentity;
}

export interface Sep2HttpOptions {
  tls: Parameters<typeof createServer>[0];
  maxBodyBytes: () => number;
  log: Logger;
  handle(request: IncomingSep2): Promise<Sep2Reply>;
  onTlsError?(message: string): void;
}

/** The client's LFDI/SFDI, computed once per TLS connection (keep-alive requests reuse it). */
const identities = new WeakMap<TLSSocket, DeviceIdentity>();

function identityOf(socket: TLSSocket): DeviceIdentity {
  let identity = identities.get(socket);
  if (!identity) {
    const der = socket.getPeerCertificate().raw;
    if (!der) throw new RequestError(403, 'no client certificate');
    identity = identityFromCertificate(der);
    identities.set(socket, identity);
  }
  return identity;
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) { reject(new RequestError(413, `body of ${declared} bytes exceeds ${limit}`)); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) { reject(new RequestError(413, `body exceeds ${limit} bytes`)); request.destroy(); return; }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Writes a reply: XML with a strong ETag, 304 when If-None-Match already names it. */
export function writeReply(request: IncomingMessage, response: ServerResponse, reply: Sep2Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (!reply.body) {
    if (reply.reason) headers['Content-Type'] = 'text/plain; charset=utf-8';
    response.writeHead(reply.status, headers);
    response.end(reply.reason && reply.status >= 400 ? `${reply.reason}\n` : undefined);
    return;
  }
  const body = renderDocument(reply.body);
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  headers.ETag = etag;
  headers['Cache-Control'] = 'no-cache';
  const matches = (request.headers['if-none-match'] ?? '').split(',').map((tag) => tag.trim());
  if (matches.includes(etag) || matches.includes('*')) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  headers['Content-Type'] = SEP_MEDIA_TYPE;
  headers['Content-Length'] = String(Buffer.byteLength(body));
  response.writeHead(reply.status, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

async function serve(options: Sep2HttpOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let reply: Sep2Reply;
  try {
    const identity = identityOf(request.socket as TLSSocket);
    const method = request.method ?? 'GET';
    const body = method === 'POST' || method === 'PUT' ? await readBody(request, options.maxBodyBytes()) : '';
    const url = new URL(request.url ?? '/', 'https://sep2.invalid');
    reply = await options.handle({ method, url, body, identity });
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    reply = { status: error.status, reason: error.message };
  }
  writeReply(request, response, reply);
}

/** HTTPS over the profile's TLS: every request carries a verified client certificate. */
export function createSep2Server(options: Sep2HttpOptions): Server {
  const server = createServer({ ...options.tls, keepAliveTimeout: 30_000 }, (request, response) => {
    serve(options, request, response).catch((error: unknown) => {
      options.log.error('request failed', { path: request.url, error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) writeReply(request, response, { status: 500, reason: 'internal error' });
    });
  });
  server.on('tlsClientError', (error: Error) => options.onTlsError?.(error.message));
  return server;
}
