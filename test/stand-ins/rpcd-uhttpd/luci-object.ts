import type { CallResult, JsonRpcArgType, RpcObject } from './objects.js';

/** rpcd-mod-luci's `luci` object, the one method every LuCI page calls first (`L.probeSystemFeatures`). */
export class LuciObject implements RpcObject {
  constructor(private readonly features: Record<string, boolean> = { rpcd: true, ubus: true, ucode: true }) {}

  signature(): Record<string, Record<string, JsonRpcArgType>> {
    return { getFeatures: {} };
  }

  async call(method: string): Promise<CallResult> {
    return method === 'getFeatures' ? { status: 0, data: { ...this.features } } : { status: 3 };
  }
}
