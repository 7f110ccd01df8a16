import type { SerialCandidate } from './discovery.js';

/** What identifies the dongle across re-enumeration (USB) and swaps (EUI-64 from the probe). */
export interface RcpIdentity {
  device: string;
  byId?: string;
  usbSerial?: string;
  vendorId?: string;
  productId?: string;
  hwaddr?: string;
}

export interface RcpSelection {
  chosen?: SerialCandidate;
  reason: string;
  candidates: SerialCandidate[];
}

function sameUsbDongle(candidate: SerialCandidate, identity: RcpIdentity): boolean {
  const usb = candidate.usb;
  return !!usb?.serial && usb.serial === identity.usbSerial && usb.vendorId === identity.vendorId && usb.productId === identity.productId;
}

/**
 * Which port to probe: the configured one; else the dongle seen before (its USB serial number,
 * wherever it enumerated now); else the first known RCP dongle; else the first USB serial port.
 */
export function selectRcp(candidates: SerialCandidate[], configured: string, remembered?: RcpIdentity): RcpSelection {
  if (configured !== 'auto') {
    const match = candidates.find((c) => c.device === configured || c.byId === configured);
    return match
      ? { chosen: match, reason: `configured device ${configured}`, candidates }
      : { chosen: { device: configured }, reason: `configured device ${configured} (not among the USB serial ports found)`, candidates };
  }
  if (remembered) {
    const same = candidates.find((c) => sameUsbDongle(c, remembered));
    if (same) return { chosen: same, reason: `the dongle seen before (USB serial ${remembered.usbSerial}), now at ${same.device}`, candidates };
  }
  const known = candidates.filter((c) => c.dongle);
  if (known.length > 0) {
    const others = known.length > 1 ? `; ${known.length} RCP dongles found (${known.map((c) => c.device).join(', ')}): set smartgrid.thread.device to choose` : '';
    return { chosen: known[0], reason: `known dongle ${known[0]!.dongle!.name}${others}`, candidates };
  }
  if (candidates.length > 0) return { chosen: candidates[0], reason: `unknown USB serial port ${candidates[0]!.device} (not in the known-dongle table)`, candidates };
  return { reason: 'no USB serial port found (is the RCP dongle plugged in? see `ls /dev/serial/by-id/`)', candidates };
}

export function identityOf(candidate: SerialCandidate, hwaddr: string | undefined): RcpIdentity {
  return { device: candidate.device, byId: candidate.byId, usbSerial: candidate.usb?.serial, vendorId: candidate.usb?.vendorId, productId: candidate.usb?.productId, hwaddr };
}
