import {
  FAILED_REASONS, MODEM_STATES, POWER_STATES, REGISTRATION_STATES,
  type BearerInfo, type FailedReason, type IpConfig, type LteSignal, type ModemInfo, type ModemState,
  type PowerState, type RegistrationState, type SignalInfo, type SimInfo,
} from './types.js';

/** mmcli -J prints every value as a string and `--` where there is none. */
type Json = Record<string, unknown>;

export class MmcliParseError extends Error {
  constructor(what: string, detail: string) {
    super(`cannot parse mmcli ${what}: ${detail}`);
    this.name = 'MmcliParseError';
  }
}

export function parseJson(what: string, text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MmcliParseError(what, `invalid JSON (${(error as Error).message})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new MmcliParseError(what, 'not a JSON object');
  return value as Json;
}

function section(parent: Json | undefined, key: string): Json {
  const value = parent?.[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function str(parent: Json, key: string): string | null {
  const value = parent[key];
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === '--' ? null : trimmed;
}

function num(parent: Json, key: string): number | null {
  const text = str(parent, key);
  if (text === null) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function yes(parent: Json, key: string): boolean | null {
  const text = str(parent, key);
  return text === null ? null : text === 'yes';
}

function list(parent: Json, key: string): string[] {
  const value = parent[key];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item !== '--' && item !== '');
  const single = str(parent, key);
  return single ? single.split(',').map((item) => item.trim()).filter(Boolean) : [];
}

function oneOf<T extends string>(allowed: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function modemIndexFromPath(path: string): number {
  const match = /\/Modem\/(\d+)$/.exec(path);
  if (!match) throw new MmcliParseError('modem path', `unexpected D-Bus path '${path}'`);
  return Number(match[1]);
}

/** `mmcli -L -J` -> `{"modem-list":["/org/freedesktop/ModemManager1/Modem/0"]}` */
export function parseModemList(text: string): string[] {
  const root = parseJson('modem list', text);
  const items = root['modem-list'];
  if (!Array.isArray(items)) throw new MmcliParseError('modem list', "missing 'modem-list'");
  return items.filter((item): item is string => typeof item === 'string' && item.includes('/Modem/'));
}

/** `sim-pin (3), sim-puk (10)` or the JSON array form of the same. */
export function parseUnlockRetries(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const match = /^([a-z0-9-]+)\s*\((\d+)\)$/.exec(item.trim());
    if (match) out[match[1]] = Number(match[2]);
  }
  return out;
}

/** `mmcli -m N -J` */
export function parseModem(text: string): ModemInfo {
  const root = section(parseJson('modem', text), 'modem');
  const path = str(root, 'dbus-path');
  if (!path) throw new MmcliParseError('modem', "missing 'modem.dbus-path'");
  const generic = section(root, 'generic');
  const gpp = section(root, '3gpp');
  const quality = section(generic, 'signal-quality');
  const state = oneOf<ModemState>(MODEM_STATES, str(generic, 'state'), 'unknown');
  const reason = str(generic, 'state-failed-reason');
  const lock = str(generic, 'unlock-required');
  return {
    path,
    index: modemIndexFromPath(path),
    equipmentId: str(generic, 'equipment-identifier'),
    deviceId: str(generic, 'device-identifier'),
    device: str(generic, 'device'),
    manufacturer: str(generic, 'manufacturer'),
    model: str(generic, 'model'),
    revision: str(generic, 'revision'),
    state,
    failedReason: state === 'failed' ? oneOf<FailedReason>(FAILED_REASONS, reason, 'unknown') : null,
    powerState: oneOf<PowerState>(POWER_STATES, str(generic, 'power-state'), 'unknown'),
    lock: lock === 'none' ? null : lock,
    unlockRetries: parseUnlockRetries(list(generic, 'unlock-retries')),
    accessTechnologies: list(generic, 'access-technologies'),
    signalQuality: num(quality, 'value'),
    signalRecent: str(quality, 'recent') === 'yes',
    simPath: str(generic, 'sim'),
    bearerPaths: list(generic, 'bearers'),
    primaryPort: str(generic, 'primary-port'),
    ports: list(generic, 'ports'),
    imei: str(gpp, 'imei'),
    registration: oneOf<RegistrationState>(REGISTRATION_STATES, str(gpp, 'registration-state'), 'unknown'),
    operatorCode: str(gpp, 'operator-code'),
    operatorName: str(gpp, 'operator-name'),
    packetService: str(gpp, 'packet-service-state'),
  };
}

/** `mmcli -i <path> -J` (also reached as `mmcli -m N --sim=<path> -J`) */
export function parseSim(text: string): SimInfo {
  const root = section(parseJson('sim', text), 'sim');
  const path = str(root, 'dbus-path');
  if (!path) throw new MmcliParseError('sim', "missing 'sim.dbus-path'");
  const props = section(root, 'properties');
  return {
    path,
    active: yes(props, 'active'),
    imsi: str(props, 'imsi'),
    iccid: str(props, 'iccid'),
    operatorCode: str(props, 'operator-code'),
    operatorName: str(props, 'operator-name'),
    simType: str(props, 'sim-type'),
  };
}

function ipConfig(config: Json): IpConfig | null {
  const method = str(config, 'method');
  const address = str(config, 'address');
  if (!method && !address) return null;
  return {
    method,
    address,
    prefix: num(config, 'prefix'),
    gateway: str(config, 'gateway'),
    dns: list(config, 'dns'),
    mtu: num(config, 'mtu'),
  };
}

/** `mmcli -b <path> -J` */
export function parseBearer(text: string): BearerInfo {
  const root = section(parseJson('bearer', text), 'bearer');
  const path = str(root, 'dbus-path');
  if (!path) throw new MmcliParseError('bearer', "missing 'bearer.dbus-path'");
  const status = section(root, 'status');
  const props = section(root, 'properties');
  const stats = section(root, 'stats');
  return {
    path,
    connected: yes(status, 'connected') === true,
    suspended: yes(status, 'suspended') === true,
    interface: str(status, 'interface'),
    connectionError: str(section(status, 'connection-error'), 'name'),
    apn: str(props, 'apn'),
    ipType: str(props, 'ip-type'),
    ipv4: ipConfig(section(root, 'ipv4-config')),
    ipv6: ipConfig(section(root, 'ipv6-config')),
    stats: {
      durationS: num(stats, 'duration'),
      bytesRx: num(stats, 'bytes-rx'),
      bytesTx: num(stats, 'bytes-tx'),
      attempts: num(stats, 'attempts'),
      failedAttempts: num(stats, 'failed-attempts'),
      totalBytesRx: num(stats, 'total-bytes-rx'),
      totalBytesTx: num(stats, 'total-bytes-tx'),
    },
  };
}

function radio(parent: Json): LteSignal {
  return { rssi: num(parent, 'rssi'), rsrq: num(parent, 'rsrq'), rsrp: num(parent, 'rsrp'), snr: num(parent, 'snr') };
}

/** `mmcli -m N --signal-get -J` */
export function parseSignal(text: string): SignalInfo {
  const signal = section(section(parseJson('signal', text), 'modem'), 'signal');
  return {
    refreshRateS: num(section(signal, 'refresh'), 'rate'),
    lte: radio(section(signal, 'lte')),
    nr5g: radio(section(signal, '5g')),
    umtsRssi: num(section(signal, 'umts'), 'rssi'),
    gsmRssi: num(section(signal, 'gsm'), 'rssi'),
  };
}
