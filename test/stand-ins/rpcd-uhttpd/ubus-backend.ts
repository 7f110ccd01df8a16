import { UbusError, type Ubus, type UbusArgType } from '../../../src/lib/ubus/types.js';
import { TransportError, type CallResult, type JsonRpcArgType, type UbusBackend } from './objects.js';

const TYPE_NAMES: Record<UbusArgType | 'unknown', JsonRpcArgType> = {
  string: 'string', boolean: 'boolean', int8: 'boolean', int32: 'number', int16: 'unknown', int64: 'unknown',
  double: 'unknown', table: 'object', array: 'array', unknown: 'unknown',
};

/** Routes every object rpcd does not own to ubusd through a `Ubus` client, as uhttpd does. */
export class UbusClientBackend implements UbusBackend {
  private cache: { at: number; objects: Map<string, Record<string, Record<string, JsonRpcArgType>>> } | undefined;

  constructor(private readonly ubus: Ubus, private readonly hidden: Set<string> = new Set(['session', 'uci'])) {}

  async list(): Promise<Map<string, Record<string, Record<string, JsonRpcArgType>>>> {
    if (this.cache && Date.now() - this.cache.at < 1000) return this.cache.objects;
    const objects = new Map<string, Record<string, Record<string, JsonRpcArgType>>>();
    for (const info of await this.ubus.lookup()) {
      if (this.hidden.has(info.path)) continue;
      const signature: Record<string, Record<string, JsonRpcArgType>> = {};
      for (const [method, args] of Object.entries(info.signature)) {
        signature[method] = Object.fromEntries(Object.entries(args).map(([name, type]) => [name, TYPE_NAMES[type] ?? 'unknown']));
      }
      objects.set(info.path, signature);
    }
    this.cache = { at: Date.now(), objects };
    return objects;
  }

  async call(object: string, method: string, args: Record<string, unknown>, timeoutMs: number): Promise<CallResult> {
    try {
      const data = await this.ubus.call(object, method, args, { timeoutMs });
      return data && Object.keys(data).length ? { status: 0, data } : { status: 0 };
    } catch (error) {
      if (!(error instanceof UbusError)) throw error;
      if (error.status === 'TIMEOUT') throw new TransportError('timeout', error.message);
      if (error.status === 'NOT_FOUND' && !(await this.list()).has(object)) throw new TransportError('not-found', object);
      return error.data ? { status: error.code, data: error.data } : { status: error.code };
    }
  }

  /** Forget the cached object list (after a service starts or stops). */
  invalidate(): void {
    this.cache = undefined;
  }
}
