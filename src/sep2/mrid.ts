import { createHash } from 'node:crypto';

/**
 * A stable mRID (HexBinary128) for an object this server creates: 96 bits from a hash of what the object
 * is (`upt:<meter>`), then the IANA PEN in the least significant 32 bits, as the standard requires.
 */
export function mridFor(what: string, pen: number): string {
  const high = createHash('sha256').update(what).digest().subarray(0, 12).toString('hex');
  return (high + (pen >>> 0).toString(16).padStart(8, '0')).toUpperCase();
}
