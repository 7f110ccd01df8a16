import type { Sep2Client } from './contract.js';
import type { EndDeviceRecord } from './devices.js';
import { endDeviceHref } from './resources/end-device.js';

/** An EndDevice as ubus `clients` and the LuCI page show it (never its PIN). */
export function clientView(device: EndDeviceRecord): Sep2Client {
  return {
    lfdi: device.lfdi,
    sfdi: device.sfdi,
    role: device.role ?? 'unregistered',
    enabled: device.enabled,
    edev: endDeviceHref(device),
    last_seen: device.lastSeen ?? 0,
    last_request: device.lastRequest ?? '',
    requests: device.requests,
    errors: device.errors,
  };
}
