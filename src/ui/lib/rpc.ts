/** JSON-RPC `call` to uhttpd's `/ubus` with the LuCI session id, as LuCI's `L.rpc` does it. */

export interface RpcEnv {
  ubuspath: string;
  sessionid: string;
}

export class RpcError extends Error {
  /** A JSON-RPC error code (-32002 access denied, ...) or undefined for transport failures. */
  readonly code: number | undefined;
  /** The ubus status of a completed call (6 permission denied, ...). */
  readonly status: number | undefined;
  /** The data a call with a non-zero status replied (an action's `{ok, code, message}`). */
  readonly data: Data | undefined;

  constructor(message: string, code?: number, status?: number, data?: Data) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.status = status;
    this.data = data;
  }
}

const UBUS_STATUS_TEXT = ['OK', 'Invalid command', 'Invalid argument', 'Method not found', 'Not found', 'No data',
  'Permission denied', 'Timeout', 'Not supported', 'Unknown error', 'Connection failed'];

export function statusText(status: number): string {
  return UBUS_STATUS_TEXT[status] ?? `status ${status}`;
}

export type Data = Record<string, unknown>;

/** JSON-RPC "Access denied": no ACL for the call, or no (more) session at all. */
export const ACCESS_DENIED = -32002;

export class Rpc {
  private nextId = 1;
  private expired = false;
  private readonly expiryListeners: (() => void)[] = [];

  constructor(readonly env: RpcEnv, private readonly timeoutMs = 20_000) {}

  /** True once a call was refused because the login session expired (LuCI's own test: session.access fails too). */
  get sessionExpired(): boolean {
    return this.expired;
  }

  /** Called once when the session turns out to be expired (the page wires LuCI's login dialog to it). */
  whenSessionExpires(listener: () => void): void {
    this.expiryListeners.push(listener);
  }

  /** The ubus status and data of one call; throws RpcError for JSON-RPC errors and transport failures. */
  async callRaw(object: string, method: string, args: Data = {}): Promise<[number, Data | undefined]> {
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'call', params: [this.env.sessionid, object, method, args] });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let reply: { result?: unknown; error?: { code: number; message: string } };
    try {
      const response = await fetch(`${this.env.ubuspath.replace(/\/?$/, '/')}?${Date.now()}`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: controller.signal, credentials: 'same-origin',
      });
      reply = await response.json();
    } catch (error) {
      throw new RpcError(`${object}.${method}: ${(error as Error).name === 'AbortError' ? 'no answer' : 'connection failed'}`);
    } finally {
      clearTimeout(timer);
    }
    if (reply.error) {
      if (reply.error.code === ACCESS_DENIED && !(object === 'session' && method === 'access') && (await this.checkExpired())) {
        throw new RpcError(`${object}.${method}: the login session has expired`, ACCESS_DENIED);
      }
      throw new RpcError(`${object}.${method}: ${reply.error.message}`, reply.error.code);
    }
    const result = Array.isArray(reply.result) ? reply.result : [9];
    return [Number(result[0]), result[1] as Data | undefined];
  }

  /** As LuCI's rpc interceptor does after an "Access denied": a session that may not even ask `session.access` is gone. */
  private async checkExpired(): Promise<boolean> {
    if (this.expired) return true;
    try {
      await this.callRaw('session', 'access', { scope: 'uci', object: 'luci', function: 'read' });
      return false;
    } catch (error) {
      if (!(error instanceof RpcError) || error.code !== ACCESS_DENIED || this.expired) return this.expired;
      this.expired = true;
      for (const listener of this.expiryListeners) listener();
      return true;
    }
  }

  /** The data of a successful call; a non-zero ubus status throws RpcError with `status`. */
  async call(object: string, method: string, args: Data = {}): Promise<Data> {
    const [status, data] = await this.callRaw(object, method, args);
    if (status !== 0) {
      const reason = data && (typeof data.message === 'string' ? data.message : typeof data.error === 'string' ? data.error : undefined);
      throw new RpcError(`${object}.${method}: ${statusText(status)}${reason ? ` (${reason})` : ''}`, undefined, status, data);
    }
    return data ?? {};
  }

  /** `session.access`; a session that may not even ask is treated as not allowed. */
  async allowed(scope: string, object: string, fn: string): Promise<boolean> {
    try {
      const data = await this.call('session', 'access', { scope, object, function: fn });
      return data.access === true;
    } catch {
      return false;
    }
  }

  /** Object names `list` returns (no session needed). */
  async objects(): Promise<string[]> {
    const response = await fetch(`${this.env.ubuspath.replace(/\/?$/, '/')}?${Date.now()}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'list' }),
    });
    const reply = (await response.json()) as { result?: unknown };
    return Array.isArray(reply.result) ? reply.result.map(String) : [];
  }
}
