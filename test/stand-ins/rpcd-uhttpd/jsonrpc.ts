import type { CallResult, JsonRpcArgType, RpcObject, UbusBackend } from './objects.js';
import { TransportError } from './objects.js';
import { ZERO_SID, type SessionStore } from './sessions.js';

export const ERR = {
  PARSE: { code: -32700, message: 'Parse error' },
  METHOD: { code: -32601, message: 'Method not found' },
  PARAMS: { code: -32602, message: 'Invalid parameters' },
  NOT_FOUND: { code: -32000, message: 'Object not found' },
  DENIED: { code: -32002, message: 'Access denied' },
  TIMEOUT: { code: -32003, message: 'ubus request timed out' },
} as const;

type JsonRpcError = (typeof ERR)[keyof typeof ERR];
export type JsonRpcReply = { jsonrpc: '2.0'; id: unknown; result?: unknown; error?: JsonRpcError };

export interface DispatcherOptions {
  sessions: SessionStore;
  local: Map<string, RpcObject>;
  backend: UbusBackend;
  /** uhttpd `-t`: how long a ubus call may take. */
  callTimeoutMs: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** uhttpd's ubus JSON-RPC handler (`uhttpd_ubus.c`): call, list, batch. */
export class JsonRpcDispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  /** Answers one parsed body: an object gives one reply, an array gives an array. */
  async handleBody(body: unknown): Promise<JsonRpcReply | JsonRpcReply[]> {
    if (Array.isArray(body)) {
      const replies: JsonRpcReply[] = [];
      for (const element of body) replies.push(await this.handleOne(element));
      return replies;
    }
    return this.handleOne(body);
  }

  async handleOne(request: unknown): Promise<JsonRpcReply> {
    if (!isPlainObject(request)) return this.error(null, ERR.PARSE);
    const id = request.id ?? null;
    if (request.jsonrpc !== '2.0' || typeof request.method !== 'string') return this.error(id, ERR.PARSE);
    if (request.method === 'call') return this.call(id, request.params);
    if (request.method === 'list') return { jsonrpc: '2.0', id, result: await this.list(request.params) };
    return this.error(id, ERR.METHOD);
  }

  /** The REST form `POST /ubus/call/<object>`: result is the bare data object or null. */
  async restCall(object: string, sid: string | undefined, request: unknown): Promise<JsonRpcReply> {
    if (!isPlainObject(request)) return this.error(null, ERR.PARSE);
    const id = request.id ?? null;
    const args = request.params ?? {};
    if (typeof request.method !== 'string' || !isPlainObject(args)) return this.error(id, ERR.PARSE);
    const reply = await this.call(id, [sid ?? '', object, request.method, args]);
    if (reply.error) return reply;
    const result = reply.result as [number, Record<string, unknown>?];
    return { jsonrpc: '2.0', id, result: result[1] ?? null };
  }

  async list(params: unknown): Promise<unknown> {
    const all = await this.signatures();
    if (params === undefined) return [...all.keys()].sort();
    if (!Array.isArray(params)) return {};
    const result: Record<string, unknown> = {};
    for (const pattern of params) {
      if (typeof pattern !== 'string') continue;
      for (const [name, signature] of all) if (matchesObjectPattern(pattern, name)) result[name] = signature;
    }
    return result;
  }

  async signatures(): Promise<Map<string, Record<string, Record<string, JsonRpcArgType>>>> {
    const all = new Map<string, Record<string, Record<string, JsonRpcArgType>>>();
    for (const [name, signature] of await this.options.backend.list().catch(() => new Map())) all.set(name, signature);
    for (const [name, object] of this.options.local) all.set(name, object.signature());
    return new Map([...all.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private async call(id: unknown, params: unknown): Promise<JsonRpcReply> {
    if (!Array.isArray(params) || params.length !== 4) return this.error(id, ERR.PARSE);
    const [sid, object, method, args] = params as unknown[];
    if (typeof sid !== 'string' || typeof object !== 'string' || typeof method !== 'string' || !isPlainObject(args)) {
      return this.error(id, ERR.PARSE);
    }
    if ('ubus_rpc_session' in args) return this.error(id, ERR.PARAMS);
    const local = this.options.local.get(object);
    if (!local && !(await this.backendHas(object))) return this.error(id, ERR.NOT_FOUND);
    const session = this.options.sessions.get(sid === '' ? undefined : sid);
    if (!session || !this.options.sessions.allowed(session, 'ubus', object, method)) return this.error(id, ERR.DENIED);
    const forwarded = { ...args, ubus_rpc_session: sid || ZERO_SID };
    let outcome: CallResult;
    try {
      outcome = local
        ? await withTimeout(local.call(method, forwarded, session), this.options.callTimeoutMs)
        : await withTimeout(this.options.backend.call(object, method, forwarded, this.options.callTimeoutMs), this.options.callTimeoutMs);
    } catch (error) {
      if (error instanceof TransportError && error.kind === 'not-found') return this.error(id, ERR.NOT_FOUND);
      if (error instanceof TransportError && error.kind === 'timeout') return this.error(id, ERR.TIMEOUT);
      throw error;
    }
    const result = outcome.data === undefined ? [outcome.status] : [outcome.status, outcome.data];
    return { jsonrpc: '2.0', id, result };
  }

  private async backendHas(object: string): Promise<boolean> {
    const names = await this.options.backend.list().catch(() => new Map());
    return names.has(object);
  }

  private error(id: unknown, error: JsonRpcError): JsonRpcReply {
    return { jsonrpc: '2.0', id, error: { ...error } };
  }
}

function matchesObjectPattern(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const prefix = pattern.slice(0, pattern.indexOf('*'));
  return name.startsWith(prefix) && name.length > prefix.length;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TransportError('timeout', `timed out after ${ms} ms`)), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error: unknown) => { clearTimeout(timer); reject(error); });
  });
}
