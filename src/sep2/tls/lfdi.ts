import { createHash } from 'node:crypto';

/** A 2030.5 device identity, derived from its certificate (IEEE 2030.5 §6.3.3-6.3.4). */
export interface DeviceIdentity {
  /** 40 upper-case hex digits: the leftmost 160 bits of the certificate fingerprint. */
  lfdi: string;
  /** The leftmost 36 bits of the fingerprint as a decimal number, followed by its check digit. */
  sfdi: number;
}

/** SHA-256 over the whole DER certificate (not its public key, not SHA-1). */
export function certificateFingerprint(der: Buffer): Buffer {
  return createHash('sha256').update(der).digest();
}

/** The digit that makes the sum of all digits of `value` followed by it a multiple of 10. */
export function checkDigit(value: number): number {
  let sum = 0;
  for (const digit of String(value)) sum += Number(digit);
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `value` is the check digit of the others (SFDI, registration PIN). */
export function hasValidCheckDigit(value: number): boolean {
  if (!Number.isSafeInteger(value) || value < 0) return false;
  return checkDigit(Math.floor(value / 10)) === value % 10;
}

export function identityFromFingerprint(fingerprint: Buffer): DeviceIdentity {
  if (fingerprint.length < 20) throw new Error(`fingerprint of ${fingerprint.length} bytes is shorter than an LFDI (20 bytes)`);
  const hex = fingerprint.toString('hex').toUpperCase();
  const leading36Bits = Number.parseInt(hex.slice(0, 9), 16);
  return { lfdi: hex.slice(0, 40), sfdi: leading36Bits * 10 + checkDigit(leading36Bits) };
}

export function identityFromCertificate(der: Buffer): DeviceIdentity {
  return identityFromFingerprint(certificateFingerprint(der));
}

/** SFDI of a known LFDI (the first 9 hex digits are the 36 bits). */
export function sfdiFromLfdi(lfdi: string): number {
  if (!/^[0-9A-Fa-f]{40}$/.test(lfdi)) throw new Error(`LFDI '${lfdi}' is not 40 hex digits`);
  const leading36Bits = Number.parseInt(lfdi.slice(0, 9), 16);
  return leading36Bits * 10 + checkDigit(leading36Bits);
}
