/** Fault modes of the simulated RCP (issue #12); `none` is a healthy OpenThread RCP as captured. */
export const RCP_FAULTS = [
  'none',
  'silent', // no byte at all
  'garbage', // answers every frame with bytes that never form a valid HDLC frame
  'wrong-baud', // healthy at its own baud; at any other host baud the host sees only line noise
  'echo', // sends every byte back (a loopback, or a console with echo on)
  'not-spinel', // valid HDLC frames that are not Spinel (header flag bits 01)
  'reset-storm', // reboots on every frame: answers only RESET_POWER_ON
  'slow', // answers after `slowMs` (> otbr-agent's 2 s)
  'protocol-4.2', // PROTOCOL_VERSION 4.2
  'not-rcp', // an NCP firmware: CAPS has CONFIG_FTD instead of CONFIG_RADIO
  'no-mac-raw', // CAPS without MAC_RAW
  'api-too-old', // RCP_API_VERSION 3 (host accepts 4-11)
  'api-too-new', // RCP_MIN_HOST_API_VERSION 12 (host is 11)
  'hang', // stops answering (as SIGSTOP left the RCP with the pty open)
] as const;
export type RcpFault = (typeof RCP_FAULTS)[number];

export function isRcpFault(value: string): value is RcpFault {
  return (RCP_FAULTS as readonly string[]).includes(value);
}
