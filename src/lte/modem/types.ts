/** Typed view of what ModemManager reports; every enum mirrors ModemManager-enums.h strings. */
export const MODEM_STATES = [
  'failed', 'unknown', 'initializing', 'locked', 'disabled', 'disabling', 'enabling', 'enabled',
  'searching', 'registered', 'disconnecting', 'connecting', 'connected',
] as const;
export type ModemState = (typeof MODEM_STATES)[number];

export const FAILED_REASONS = ['none', 'unknown', 'sim-missing', 'sim-error', 'unknown-capabilities', 'esim-without-profiles'] as const;
export type FailedReason = (typeof FAILED_REASONS)[number];

export const POWER_STATES = ['unknown', 'off', 'low', 'on'] as const;
export type PowerState = (typeof POWER_STATES)[number];

export const REGISTRATION_STATES = [
  'idle', 'home', 'searching', 'denied', 'unknown', 'roaming', 'home-sms-only', 'roaming-sms-only',
  'emergency-only', 'home-csfb-not-preferred', 'roaming-csfb-not-preferred', 'attached-rlos',
] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];

/** `modem.generic.unlock-required`: `sim-pin`, `sim-puk`, `ph-net-pin`...; null when none/unknown. */
export type LockName = string;

export interface ModemInfo {
  path: string;
  /** The number at the end of the D-Bus path; changes when the modem re-appears. */
  index: number;
  equipmentId: string | null;
  deviceId: string | null;
  /** sysfs path of the physical device (`modem.generic.device`); stable across re-probes. */
  device: string | null;
  manufacturer: string | null;
  model: string | null;
  revision: string | null;
  state: ModemState;
  failedReason: FailedReason | null;
  powerState: PowerState;
  lock: LockName | null;
  unlockRetries: Record<string, number>;
  accessTechnologies: string[];
  signalQuality: number | null;
  signalRecent: boolean;
  simPath: string | null;
  bearerPaths: string[];
  primaryPort: string | null;
  ports: string[];
  imei: string | null;
  registration: RegistrationState;
  operatorCode: string | null;
  operatorName: string | null;
  packetService: string | null;
}

export interface SimInfo {
  path: string;
  active: boolean | null;
  imsi: string | null;
  iccid: string | null;
  operatorCode: string | null;
  operatorName: string | null;
  simType: string | null;
}

export interface IpConfig {
  method: string | null;
  address: string | null;
  prefix: number | null;
  gateway: string | null;
  dns: string[];
  mtu: number | null;
}

export interface BearerStats {
  durationS: number | null;
  bytesRx: number | null;
  bytesTx: number | null;
  attempts: number | null;
  failedAttempts: number | null;
  totalBytesRx: number | null;
  totalBytesTx: number | null;
}

export interface BearerInfo {
  path: string;
  connected: boolean;
  suspended: boolean;
  interface: string | null;
  connectionError: string | null;
  apn: string | null;
  ipType: string | null;
  ipv4: IpConfig | null;
  ipv6: IpConfig | null;
  stats: BearerStats;
}

export interface LteSignal {
  rssi: number | null;
  rsrq: number | null;
  rsrp: number | null;
  snr: number | null;
}

export interface SignalInfo {
  refreshRateS: number | null;
  lte: LteSignal;
  nr5g: LteSignal;
  umtsRssi: number | null;
  gsmRssi: number | null;
}

/** One complete look at the modem we watch. */
export interface ModemSnapshot {
  modem: ModemInfo;
  sim: SimInfo | null;
  bearers: BearerInfo[];
  signal: SignalInfo | null;
}
