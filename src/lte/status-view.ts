import type { ModemSnapshot } from './modem/types.js';
import type { LteHealth } from './health.js';

/**
 * Subscriber identities are shown masked in `status` (the LuCI read group calls it): the ICCID keeps
 * its issuer prefix and the last 4 digits printed on the card, the IMSI its MCC+MNC and last 2 digits.
 * The write group reads them whole with the `identity` method.
 */
export function maskIdentity(value: string | null, keepStart: number, keepEnd: number): string | null {
  if (!value) return value;
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return `${value.slice(0, keepStart)}${'*'.repeat(value.length - keepStart - keepEnd)}${value.slice(-keepEnd)}`;
}

export const maskIccid = (iccid: string | null) => maskIdentity(iccid, 6, 4);
export const maskImsi = (imsi: string | null) => maskIdentity(imsi, 5, 2);

/** The modem part of `status`, in the snake_case shape every smartgrid ubus reply uses. */
export function modemView(snapshot: ModemSnapshot | undefined): Record<string, unknown> | null {
  if (!snapshot) return null;
  const { modem, sim, bearers, signal } = snapshot;
  return {
    path: modem.path,
    index: modem.index,
    equipment_id: modem.equipmentId,
    device: modem.device,
    manufacturer: modem.manufacturer,
    model: modem.model,
    revision: modem.revision,
    state: modem.state,
    failed_reason: modem.failedReason,
    power_state: modem.powerState,
    lock: modem.lock,
    unlock_retries: { ...modem.unlockRetries },
    registration: modem.registration,
    operator_code: modem.operatorCode,
    operator_name: modem.operatorName,
    access_technologies: [...modem.accessTechnologies],
    signal_quality: modem.signalQuality,
    signal_recent: modem.signalRecent,
    signal: signal ? {
      refresh_rate: signal.refreshRateS,
      lte_rssi: signal.lte.rssi, lte_rsrq: signal.lte.rsrq, lte_rsrp: signal.lte.rsrp, lte_snr: signal.lte.snr,
      nr5g_rsrp: signal.nr5g.rsrp, umts_rssi: signal.umtsRssi, gsm_rssi: signal.gsmRssi,
    } : null,
    sim: sim ? { present: true, active: sim.active, iccid: maskIccid(sim.iccid), imsi: maskImsi(sim.imsi), operator_name: sim.operatorName, operator_code: sim.operatorCode } : { present: false },
    bearers: bearers.map((bearer) => ({
      path: bearer.path,
      connected: bearer.connected,
      suspended: bearer.suspended,
      interface: bearer.interface,
      apn: bearer.apn,
      connection_error: bearer.connectionError,
      ipv4: bearer.ipv4 ? { ...bearer.ipv4, dns: [...bearer.ipv4.dns] } : null,
      ipv6: bearer.ipv6 ? { ...bearer.ipv6, dns: [...bearer.ipv6.dns] } : null,
      stats: { duration: bearer.stats.durationS, bytes_rx: bearer.stats.bytesRx, bytes_tx: bearer.stats.bytesTx, attempts: bearer.stats.attempts, failed_attempts: bearer.stats.failedAttempts },
    })),
  };
}

export function healthView(health: LteHealth | undefined): Record<string, unknown> {
  if (!health) return { status: 'unknown' };
  if (health.status === 'up') return { status: 'up' };
  if (health.status === 'terminal') return { status: 'terminal', reason: health.reason, detail: health.detail };
  return { status: 'down', cause: health.cause, detail: health.detail };
}
