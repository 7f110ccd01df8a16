import type { ObservationResult } from './modem/tracker.js';
import type { ModemSnapshot } from './modem/types.js';
import type { StepName } from './ladder/steps.js';

export type DownCause =
  | 'manager-unavailable' | 'mmcli-timeout' | 'modem-absent' | 'modem-failed' | 'modem-disabled'
  | 'modem-transitional' | 'not-registered' | 'bearer-disconnected' | 'probe-failed' | 'manual';

export type TerminalReason = 'sim-missing' | 'sim-error' | 'esim-without-profiles' | `${string}-required`;

export type LteHealth =
  | { status: 'up' }
  | { status: 'down'; cause: DownCause; detail: string; floor: StepName }
  | { status: 'terminal'; reason: TerminalReason; detail: string };

const TRANSITIONAL = new Set(['initializing', 'disabling', 'enabling', 'disconnecting', 'connecting', 'unknown']);
const REGISTERED = new Set(['home', 'roaming', 'home-sms-only', 'roaming-sms-only', 'home-csfb-not-preferred', 'roaming-csfb-not-preferred']);

/** SIM problems are reported, never "fixed" by resetting: a reset cannot insert a SIM or type a PUK. */
export function terminalReason(snapshot: ModemSnapshot): { reason: TerminalReason; detail: string } | undefined {
  const { modem } = snapshot;
  if (modem.state === 'failed') {
    const reason = modem.failedReason;
    if (reason === 'sim-missing' || reason === 'sim-error' || reason === 'esim-without-profiles') {
      return { reason, detail: `modem failed: ${reason}` };
    }
  }
  // `unlock-required: sim-pin2` is normal on a working modem; only the locked state blocks it.
  if (modem.state === 'locked') {
    const lock = modem.lock ?? 'sim-pin';
    const retries = modem.unlockRetries[lock];
    return { reason: `${lock}-required`, detail: `SIM locked (${lock}${retries === undefined ? '' : `, ${retries} retries left`})` };
  }
  return undefined;
}

/**
 * Folds the modem observation and the connectivity probe verdict into one health value. `floor`
 * is the lowest ladder step that can help: a dead ModemManager is not cured by reconnecting a bearer.
 */
export function assessHealth(observation: ObservationResult, probe: 'up' | 'down' | 'unknown'): LteHealth {
  if (observation.kind === 'error') {
    if (observation.failure === 'manager-unavailable' || observation.failure === 'missing-binary') {
      return { status: 'down', cause: 'manager-unavailable', detail: observation.message, floor: 'mm_restart' };
    }
    if (observation.failure === 'timeout') return { status: 'down', cause: 'mmcli-timeout', detail: observation.message, floor: 'modem_reset' };
    return { status: 'down', cause: 'modem-failed', detail: observation.message, floor: 'modem_reset' };
  }
  if (observation.kind === 'absent') return { status: 'down', cause: 'modem-absent', detail: 'no modem known to ModemManager', floor: 'mm_restart' };
  const snapshot = observation.snapshot;
  const terminal = terminalReason(snapshot);
  if (terminal) return { status: 'terminal', ...terminal };
  const { modem } = snapshot;
  if (modem.state === 'failed') return { status: 'down', cause: 'modem-failed', detail: `modem failed: ${modem.failedReason}`, floor: 'modem_reset' };
  if (modem.state === 'disabled' || modem.powerState === 'off' || modem.powerState === 'low') {
    return { status: 'down', cause: 'modem-disabled', detail: `modem ${modem.state}, power ${modem.powerState}`, floor: 'reconnect' };
  }
  if (TRANSITIONAL.has(modem.state)) return { status: 'down', cause: 'modem-transitional', detail: `modem ${modem.state}`, floor: 'reconnect' };
  if (modem.state !== 'connected') {
    const registered = REGISTERED.has(modem.registration);
    return registered
      ? { status: 'down', cause: 'bearer-disconnected', detail: `modem ${modem.state}, no connected bearer`, floor: 'reconnect' }
      : { status: 'down', cause: 'not-registered', detail: `modem ${modem.state}, registration ${modem.registration}`, floor: 'reconnect' };
  }
  if (!snapshot.bearers.some((bearer) => bearer.connected) && snapshot.bearers.length) {
    return { status: 'down', cause: 'bearer-disconnected', detail: 'bearer reports disconnected', floor: 'reconnect' };
  }
  if (probe === 'down') return { status: 'down', cause: 'probe-failed', detail: 'connectivity probes through the LTE interface fail', floor: 'reconnect' };
  return { status: 'up' };
}
