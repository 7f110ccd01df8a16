import type { Session } from './sessions.js';

/** Argument types as uhttpd's `list` writes them. */
export type JsonRpcArgType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'unknown';

export interface CallResult {
  /** ubus status code (0 = OK). */
  status: number;
  data?: Record<string, unknown>;
}

/** Thrown by a backend when the ubus call itself could not be made (mapped to JSON-RPC errors). */
export class TransportError extends Error {
  constructor(readonly kind: 'not-found' | 'timeout', message: string) {
    super(message);
  }
}

/** An object reachable through `/ubus`: rpcd's own (`session`, `uci`) or one routed to ubusd. */
export interface RpcObject {
  signature(): Record<string, Record<string, JsonRpcArgType>>;
  /** `args` already carries `ubus_rpc_session` as uhttpd adds it. */
  call(method: string, args: Record<string, unknown>, session: Session): Promise<CallResult>;
}

/** Objects beyond rpcd's: names and signatures looked up on ubusd, calls forwarded there. */
export interface UbusBackend {
  list(): Promise<Map<string, Record<string, Record<string, JsonRpcArgType>>>>;
  /** Rejects with TransportError('not-found') for an unknown object. */
  call(object: string, method: string, args: Record<string, unknown>, timeoutMs: number): Promise<CallResult>;
}

export const NO_BACKEND: UbusBackend = {
  list: async () => new Map(),
  call: async (object) => { throw new TransportError('not-found', object); },
};
