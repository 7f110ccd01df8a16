// Real-shaped `mmcli -J` documents (ModemManager 1.22 cli/mmcli-output.c keys; every value a string,
// `--` where ModemManager has none, lists as arrays).
import { writeFileSync } from 'node:fs';

export const MM = '/org/freedesktop/ModemManager1';

export interface ModemFixture {
  index: number;
  state?: string;
  failedReason?: string;
  powerState?: string;
  lock?: string;
  unlockRetries?: string[];
  registration?: string;
  operatorName?: string;
  operatorCode?: string;
  accessTech?: string[];
  quality?: number;
  sim?: boolean;
  bearers?: number[];
  equipmentId?: string;
  device?: string;
}

export function modemDoc(f: ModemFixture): Record<string, unknown> {
  const state = f.state ?? 'connected';
  const enabled = !['failed', 'locked', 'disabled', 'initializing', 'unknown', 'disabling', 'enabling'].includes(state);
  return {
    modem: {
      '3gpp': {
        'enabled-locks': ['fixed-dialing'],
        eps: { 'initial-bearer': { 'dbus-path': '--', settings: { apn: '--', 'ip-type': '--', password: '--', user: '--' } }, 'ue-mode-operation': 'csps-2' },
        imei: f.equipmentId ?? '867929068123456',
        'operator-code': enabled ? (f.operatorCode ?? '26201') : '--',
        'operator-name': enabled ? (f.operatorName ?? 'Telekom.de') : '--',
        'packet-service-state': enabled ? 'attached' : '--',
        pco: '--',
        'registration-state': enabled ? (f.registration ?? 'home') : '--',
      },
      cdma: { 'activation-state': '--', 'cdma1x-registration-state': '--', esn: '--', 'evdo-registration-state': '--', meid: '--', nid: '--', sid: '--' },
      'dbus-path': `${MM}/Modem/${f.index}`,
      generic: {
        'access-technologies': enabled ? (f.accessTech ?? ['lte']) : [],
        bearers: (f.bearers ?? []).map((id) => `${MM}/Bearer/${id}`),
        'carrier-configuration': 'ROW_Generic_3GPP',
        'carrier-configuration-revision': '0501081F',
        'current-bands': ['egsm', 'dcs', 'utran-1', 'eutran-1', 'eutran-3', 'eutran-7', 'eutran-8', 'eutran-20'],
        'current-capabilities': ['gsm-umts, lte'],
        'current-modes': 'allowed: 2g, 3g, 4g; preferred: 4g',
        device: f.device ?? '/sys/devices/platform/scb/fd500000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/usb2/2-1',
        'device-identifier': '2d9d0fdcb6b9a3ab1a7f5f4bd7ca0e0e0b1e6a01',
        drivers: ['option', 'qmi_wwan'],
        'equipment-identifier': f.equipmentId ?? '867929068123456',
        'hardware-revision': '10000',
        manufacturer: 'Quectel',
        model: 'EC25',
        'own-numbers': [],
        physdev: f.device ?? '/sys/devices/platform/scb/fd500000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/usb2/2-1',
        plugin: 'quectel',
        ports: ['cdc-wdm0 (qmi)', 'ttyUSB0 (ignored)', 'ttyUSB1 (gps)', 'ttyUSB2 (at)', 'ttyUSB3 (at)', 'wwan0 (net)'],
        'power-state': f.powerState ?? (state === 'disabled' ? 'low' : 'on'),
        'primary-port': 'cdc-wdm0',
        'primary-sim-slot': '--',
        revision: 'EC25EFAR06A06M4G',
        'signal-quality': { recent: enabled ? 'yes' : 'no', value: String(enabled ? (f.quality ?? 67) : 0) },
        sim: f.sim === false ? '--' : `${MM}/SIM/${f.index}`,
        'sim-slots': [],
        state,
        'state-failed-reason': state === 'failed' ? (f.failedReason ?? 'unknown') : '--',
        'supported-bands': ['egsm', 'dcs', 'pcs', 'g850', 'utran-1', 'eutran-1', 'eutran-3', 'eutran-7', 'eutran-8', 'eutran-20'],
        'supported-capabilities': ['gsm-umts, lte'],
        'supported-ip-families': ['ipv4', 'ipv6', 'ipv4v6'],
        'supported-modes': ['allowed: 2g; preferred: none', 'allowed: 2g, 3g, 4g; preferred: 4g'],
        'unlock-required': f.lock ?? (state === 'locked' ? 'sim-pin' : 'sim-pin2'),
        'unlock-retries': f.unlockRetries ?? ['sim-pin (3)', 'sim-puk (10)', 'sim-pin2 (3)', 'sim-puk2 (10)'],
      },
    },
  };
}

export function simDoc(index: number, active = true): Record<string, unknown> {
  return {
    sim: {
      'dbus-path': `${MM}/SIM/${index}`,
      properties: {
        active: active ? 'yes' : 'no', eid: '--', 'emergency-numbers': ['112', '911'], gid1: 'FF', gid2: '--',
        iccid: '8949020000012345678', imsi: '262011234567890', 'operator-code': '26201', 'operator-name': 'Telekom.de',
        'preferred-networks': [], removability: 'removable', 'sim-type': 'physical', 'esim-status': '--',
      },
    },
  };
}

export function bearerDoc(id: number, connected: boolean, bytes = { rx: 123456, tx: 65432 }): Record<string, unknown> {
  const ip = (on: boolean, v: Record<string, unknown>) => (on ? v : { method: '--', address: '--', prefix: '--', gateway: '--', dns: [], mtu: '--' });
  return {
    bearer: {
      'dbus-path': `${MM}/Bearer/${id}`,
      'ipv4-config': ip(connected, { address: '10.148.20.7', dns: ['10.74.210.210', '10.74.210.211'], gateway: '10.148.20.8', method: 'static', mtu: '1500', prefix: '29' }),
      'ipv6-config': ip(false, {}),
      properties: { 'access-type-preference': 'none', apn: 'internet.telekom', 'apn-type': 'default', 'allowed-auth': [], 'ip-type': 'ipv4', number: '--', password: '--', 'profile-id': '--', 'rm-protocol': '--', roaming: 'allowed', 'roaming-allowance': '--', user: '--' },
      stats: {
        attempts: '3', 'bytes-rx': connected ? String(bytes.rx) : '--', 'bytes-tx': connected ? String(bytes.tx) : '--',
        'downlink-speed': '--', duration: connected ? '845' : '--', 'failed-attempts': '1', 'start-date': '--',
        'total-bytes-rx': String(bytes.rx * 3), 'total-bytes-tx': String(bytes.tx * 3), 'total-duration': '9021', 'uplink-speed': '--',
      },
      status: {
        connected: connected ? 'yes' : 'no', 'connection-error': { message: '--', name: '--' }, 'disconnect-request': '--',
        interface: connected ? 'wwan0' : '--', 'ip-timeout': '20', multiplexed: 'no', 'profile-id': '--', suspended: 'no',
      },
      type: 'default',
    },
  };
}

export function signalDoc(rate: number, lte?: { rssi: number; rsrq: number; rsrp: number; snr: number }): Record<string, unknown> {
  const value = (v: number | undefined) => (v === undefined ? '--' : v.toFixed(2));
  const none = { 'error-rate': '--', rssi: '--' };
  return {
    modem: {
      signal: {
        '5g': { 'error-rate': '--', rsrp: '--', rsrq: '--', snr: '--' },
        cdma1x: { ecio: '--', 'error-rate': '--', rssi: '--' },
        evdo: { ecio: '--', 'error-rate': '--', io: '--', rssi: '--', sinr: '--' },
        gsm: none,
        lte: { 'error-rate': '--', rsrp: value(lte?.rsrp), rsrq: value(lte?.rsrq), rssi: value(lte?.rssi), snr: value(lte?.snr) },
        refresh: { rate: String(rate) },
        threshold: { 'error-rate': 'no', rssi: '0' },
        umts: { ecio: '--', 'error-rate': '--', rscp: '--', rssi: '--' },
      },
    },
  };
}

export interface Scenario {
  /** running | absent (ModemManager not on the bus) | hang (every call blocks) */
  manager: 'running' | 'absent' | 'hang';
  modems: Record<string, { modem: Record<string, unknown>; signal?: Record<string, unknown>; hang?: boolean; resetSupported?: boolean }>;
  sims: Record<string, Record<string, unknown>>;
  bearers: Record<string, Record<string, unknown>>;
  /** Every invocation is appended here, one JSON array of arguments per line. */
  log?: string;
}

export function writeScenario(path: string, scenario: Scenario): void {
  writeFileSync(path, JSON.stringify(scenario, null, 1));
}

/** One modem connected through bearer 0, its SIM active, a good LTE signal: a healthy uplink. */
export function connectedModemScenario(): Scenario {
  return {
    manager: 'running',
    modems: { '0': { modem: modemDoc({ index: 0, state: 'connected', bearers: [0] }), signal: signalDoc(30, { rssi: -70, rsrq: -10, rsrp: -98, snr: 9 }) } },
    sims: { [`${MM}/SIM/0`]: simDoc(0) },
    bearers: { [`${MM}/Bearer/0`]: bearerDoc(0, true) },
  };
}
