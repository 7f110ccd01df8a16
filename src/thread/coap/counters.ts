import type { ThreadBridgeCounters } from '../contract.js';

export function emptyCounters(): ThreadBridgeCounters {
  return { received: 0, forwarded: 0, rejected: 0, bad_crc: 0, duplicates: 0, downlink_ok: 0, downlink_timeout: 0, downlink_unreachable: 0 };
}
