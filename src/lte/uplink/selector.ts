import type { Uplink } from '../failover/routes.js';
import type { UplinkState } from './tracker.js';

export interface UplinkHealthView { state: UplinkState; since: number; cause: string }

export interface UplinkChoice { uplink: Uplink; reason: string }

export interface SwitchRecord { at: number; from: Uplink; to: Uplink; cause: string }

/**
 * Which uplink carries the traffic. The WAN is preferred while it is not proven bad; once traffic has
 * left it, it comes back only after it has been online for `failbackHoldMs` (or at once when LTE is
 * offline too). LTE takes over when the WAN is offline and LTE is not. With both offline nothing moves.
 */
export function chooseUplink(current: Uplink, wan: UplinkHealthView, lte: UplinkHealthView, now: number, failbackHoldMs: number): UplinkChoice {
  if (wan.state !== 'offline') {
    if (current === 'wan' || current === 'none') return { uplink: 'wan', reason: wan.state === 'online' ? 'WAN online' : 'WAN not probed yet' };
    if (wan.state === 'online' && lte.state === 'offline') return { uplink: 'wan', reason: `LTE offline (${lte.cause}), WAN online` };
    const heldMs = wan.state === 'online' ? now - wan.since : 0;
    if (wan.state === 'online' && heldMs >= failbackHoldMs) return { uplink: 'wan', reason: `WAN online for ${Math.round(heldMs / 1000)} s (failback hold ${Math.round(failbackHoldMs / 1000)} s)` };
    return { uplink: current, reason: wan.state === 'online' ? `WAN online for ${Math.round(heldMs / 1000)} s, failback after ${Math.round(failbackHoldMs / 1000)} s` : 'WAN not probed yet' };
  }
  if (lte.state !== 'offline') return { uplink: 'lte', reason: `WAN offline (${wan.cause})` };
  return { uplink: current === 'none' ? 'wan' : current, reason: `both offline (WAN: ${wan.cause}; LTE: ${lte.cause})` };
}
