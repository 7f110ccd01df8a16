import type { PublishedObject, Ubus } from '../../../src/lib/ubus/types.js';
import { UBUS_STATUS, UbusError } from '../../../src/lib/ubus/types.js';

/** A ubus that is never there: what the service sees while ubusd is down. */
export function nullUbus(): Ubus {
  const fail = () => Promise.reject(new UbusError(UBUS_STATUS.CONNECTION_FAILED, 'no ubusd'));
  return {
    call: fail,
    lookup: fail,
    listen: fail,
    send: () => Promise.resolve(),
    subscribe: fail,
    publish: (path) => Promise.resolve({ path, id: undefined, notify: () => Promise.resolve(), remove: () => Promise.resolve() } as PublishedObject),
    close: () => Promise.resolve(),
  };
}
