import { SpinelReader } from './buffer.js';
import { capabilityName, RADIO_CAPS_FLAGS, SPINEL_PROPERTIES, statusName } from './constants.js';

export interface StatusValue { status: number; name: string }
export interface ProtocolVersion { major: number; minor: number }
export interface RadioCaps { value: number; flags: string[] }

export function decodeStatus(payload: Uint8Array): StatusValue {
  const status = new SpinelReader(payload).packed();
  return { status, name: statusName(status) };
}

export function decodeProtocolVersion(payload: Uint8Array): ProtocolVersion {
  const reader = new SpinelReader(payload);
  return { major: reader.packed(), minor: reader.packed() };
}

export function decodePackedList(payload: Uint8Array): number[] {
  const reader = new SpinelReader(payload);
  const values: number[] = [];
  while (reader.remaining > 0) values.push(reader.packed());
  return values;
}

export function decodeCapabilities(payload: Uint8Array): string[] {
  return decodePackedList(payload).map(capabilityName);
}

export function decodeRadioCaps(payload: Uint8Array): RadioCaps {
  const value = new SpinelReader(payload).packed();
  return { value, flags: RADIO_CAPS_FLAGS.filter((_, bit) => (value & (1 << bit)) !== 0) };
}

export function decodeUtf8(payload: Uint8Array): string {
  return new SpinelReader(payload).utf8();
}

/** STREAM_DEBUG text has no terminator: the whole payload is the text. */
export function decodeDebugText(payload: Uint8Array): string {
  return Buffer.from(payload).toString('utf8');
}

export function decodeUint8List(payload: Uint8Array): number[] {
  return [...payload];
}

type ValueDecoder = (payload: Uint8Array) => unknown;

const P = SPINEL_PROPERTIES;
const single = (read: (reader: SpinelReader) => unknown): ValueDecoder => (payload) => read(new SpinelReader(payload));

/** Decoders of the properties the probe and the health checks read. */
const DECODERS = new Map<number, ValueDecoder>([
  [P.LAST_STATUS, decodeStatus],
  [P.PROTOCOL_VERSION, decodeProtocolVersion],
  [P.NCP_VERSION, decodeUtf8],
  [P.INTERFACE_TYPE, single((r) => r.packed())],
  [P.VENDOR_ID, single((r) => r.packed())],
  [P.CAPS, decodeCapabilities],
  [P.HWADDR, single((r) => r.eui64())],
  [P.MCU_POWER_STATE, single((r) => r.u8())],
  [P.PHY_ENABLED, single((r) => r.bool())],
  [P.PHY_CHAN, single((r) => r.u8())],
  [P.PHY_CHAN_SUPPORTED, decodeUint8List],
  [P.PHY_CHAN_PREFERRED, decodeUint8List],
  [P.PHY_CCA_THRESHOLD, single((r) => r.i8())],
  [P.PHY_TX_POWER, single((r) => r.i8())],
  [P.PHY_RSSI, single((r) => r.i8())],
  [P.PHY_RX_SENSITIVITY, single((r) => r.i8())],
  [P.PHY_FEM_LNA_GAIN, single((r) => r.i8())],
  [P.PHY_REGION_CODE, single((r) => r.u16())],
  [P.MAC_15_4_PANID, single((r) => r.u16())],
  [P.MAC_15_4_SADDR, single((r) => r.u16())],
  [P.MAC_15_4_LADDR, single((r) => r.eui64())],
  [P.MAC_RAW_STREAM_ENABLED, single((r) => r.bool())],
  [P.RCP_API_VERSION, single((r) => r.packed())],
  [P.RCP_MIN_HOST_API_VERSION, single((r) => r.packed())],
  [P.RCP_TIMESTAMP, single((r) => r.u64())],
  [P.RADIO_CAPS, decodeRadioCaps],
  [P.STREAM_DEBUG, decodeDebugText],
]);

/** The decoded value of a known property, or undefined when the property has no decoder here. */
export function decodePropertyValue(property: number, payload: Uint8Array): unknown {
  return DECODERS.get(property)?.(payload);
}
