import { SPINEL_PROPERTIES as P } from '../spinel/constants.js';
import type { SpinelClient } from '../spinel/client.js';
import { decodeCapabilities, decodeProtocolVersion, decodeRadioCaps, decodeUtf8 } from '../spinel/values.js';
import { SpinelReader } from '../spinel/buffer.js';

/** What the probe learns from the RCP (the handshake otbr-agent does, in the same order). */
export interface RcpInfo {
  protocol: string;
  ncpVersion: string;
  capabilities: string[];
  hwaddr: string;
  rcpApiVersion: number;
  /** Absent when the RCP lacks the RCP_MIN_HOST_API_VERSION capability. */
  minHostApiVersion?: number;
  radioCaps: string[];
}

/** The range of RCP API versions the installed otbr-agent accepts (spinel.h of its OpenThread). */
export interface HostApiRange {
  /** SPINEL_RCP_API_VERSION of the host. */
  hostApiVersion: number;
  /** SPINEL_MIN_HOST_SUPPORTED_RCP_API_VERSION of the host. */
  minRcpApiVersion: number;
}

/** openthread-br built from OpenThread 34bb0e4ab (the captured version): RCP API 11, accepts RCPs from 4. */
export const OTBR_HOST_API: HostApiRange = { hostApiVersion: 11, minRcpApiVersion: 4 };

const packed = (payload: Uint8Array): number => new SpinelReader(payload).packed();

export async function readRcpInfo(client: SpinelClient): Promise<RcpInfo> {
  const version = decodeProtocolVersion(await client.get(P.PROTOCOL_VERSION));
  const ncpVersion = decodeUtf8(await client.get(P.NCP_VERSION));
  const capabilities = decodeCapabilities(await client.get(P.CAPS));
  const hwaddr = Buffer.from(await client.get(P.HWADDR)).toString('hex');
  const rcpApiVersion = packed(await client.get(P.RCP_API_VERSION));
  const minHostApiVersion = capabilities.includes('RCP_MIN_HOST_API_VERSION') ? packed(await client.get(P.RCP_MIN_HOST_API_VERSION)) : undefined;
  const radioCaps = decodeRadioCaps(await client.get(P.RADIO_CAPS)).flags;
  return { protocol: `${version.major}.${version.minor}`, ncpVersion, capabilities, hwaddr, rcpApiVersion, minHostApiVersion, radioCaps };
}

export type IncompatibleCause = 'protocol-version' | 'not-rcp' | 'no-mac-raw' | 'api-version';

/** Why otbr-agent could not use this RCP, in words an admin can act on; undefined when it can. */
export function checkCompatibility(info: RcpInfo, host: HostApiRange): { cause: IncompatibleCause; message: string } | undefined {
  if (info.protocol !== '4.3') return { cause: 'protocol-version', message: `the RCP speaks Spinel protocol ${info.protocol}, the host needs 4.3: flash an OpenThread RCP firmware matching openthread-br` };
  if (!info.capabilities.includes('CONFIG_RADIO')) {
    const kind = info.capabilities.find((c) => c === 'CONFIG_FTD' || c === 'CONFIG_MTD');
    return { cause: 'not-rcp', message: `the firmware is not an RCP (${kind ? `${kind}: an NCP firmware` : 'no CONFIG_RADIO capability'}): flash the OpenThread RCP image (ot-rcp)` };
  }
  if (!info.capabilities.includes('MAC_RAW')) return { cause: 'no-mac-raw', message: 'the RCP lacks the MAC_RAW capability, which otbr-agent needs to send and receive frames: flash a full OpenThread RCP image' };
  if (info.rcpApiVersion < host.minRcpApiVersion) return { cause: 'api-version', message: `the RCP's API version ${info.rcpApiVersion} is older than the oldest this otbr-agent accepts (${host.minRcpApiVersion}; host API ${host.hostApiVersion}): update the RCP firmware` };
  if (info.minHostApiVersion !== undefined && info.minHostApiVersion > host.hostApiVersion) return { cause: 'api-version', message: `the RCP needs a host with RCP API version ${info.minHostApiVersion} or newer, this otbr-agent has ${host.hostApiVersion}: update openthread-br or flash an older RCP firmware` };
  return undefined;
}
