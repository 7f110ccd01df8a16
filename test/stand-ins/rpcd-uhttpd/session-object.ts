import type { CallResult, JsonRpcArgType, RpcObject } from './objects.js';
import type { Session, SessionStore } from './sessions.js';

const S = 'string';
const SIGNATURE: Record<string, Record<string, JsonRpcArgType>> = {
  create: { timeout: 'number' },
  list: { ubus_rpc_session: S },
  grant: { ubus_rpc_session: S, scope: S, objects: 'array' },
  revoke: { ubus_rpc_session: S, scope: S, objects: 'array' },
  access: { ubus_rpc_session: S, scope: S, object: S, function: S },
  set: { ubus_rpc_session: S, values: 'object' },
  get: { ubus_rpc_session: S, keys: 'array' },
  unset: { ubus_rpc_session: S, keys: 'array' },
  destroy: { ubus_rpc_session: S },
  login: { username: S, password: S, timeout: 'number' },
};

const OK: CallResult = { status: 0 };
const NOT_FOUND: CallResult = { status: 4 };
const PERMISSION_DENIED: CallResult = { status: 6 };

/** rpcd's `session` object, the parts LuCI uses. */
export class SessionObject implements RpcObject {
  constructor(private readonly sessions: SessionStore) {}

  signature(): Record<string, Record<string, JsonRpcArgType>> {
    return SIGNATURE;
  }

  async call(method: string, args: Record<string, unknown>, caller: Session): Promise<CallResult> {
    if (!(method in SIGNATURE)) return { status: 3 };
    if (method === 'login') {
      const session = this.sessions.login(args.username, args.password, args.timeout);
      return session ? { status: 0, data: this.sessions.describe(session) } : PERMISSION_DENIED;
    }
    const target = this.sessions.get(args.ubus_rpc_session) ?? caller;
    switch (method) {
      case 'access': return this.access(target, args);
      case 'destroy': return this.sessions.destroy(target.id) ? OK : NOT_FOUND;
      case 'get': return { status: 0, data: { values: pick(target.data, args.keys) } };
      case 'set':
        if (typeof args.values !== 'object' || args.values === null) return { status: 2 };
        Object.assign(target.data, args.values);
        return OK;
      case 'unset':
        for (const key of Array.isArray(args.keys) ? args.keys : Object.keys(target.data)) delete target.data[String(key)];
        return OK;
      case 'list': return { status: 0, data: this.sessions.describe(target) };
      default: return { status: 8 };
    }
  }

  private access(session: Session, args: Record<string, unknown>): CallResult {
    const scope = typeof args.scope === 'string' ? args.scope : 'ubus';
    if (typeof args.object === 'string' && typeof args.function === 'string') {
      return { status: 0, data: { access: this.sessions.allowed(session, scope, args.object, args.function) } };
    }
    return { status: 0, data: session.acl as unknown as Record<string, unknown> };
  }
}

function pick(data: Record<string, unknown>, keys: unknown): Record<string, unknown> {
  if (!Array.isArray(keys)) return { ...data };
  return Object.fromEntries(keys.filter((key) => String(key) in data).map((key) => [String(key), data[String(key)]]));
}
