/**
 * FCS-16 of HDLC-lite as OpenThread computes it: CRC-16/X.25 (reflected polynomial 0x8408,
 * init 0xFFFF, result complemented). Its check value for ASCII "123456789" is 0x906E.
 */
const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
    table[byte] = crc;
  }
  return table;
}

export const FCS_INIT = 0xffff;

/** Feeds `bytes` into a running (uncomplemented) CRC. */
export function fcsUpdate(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  let value = crc;
  for (let i = start; i < end; i++) value = (value >>> 8) ^ TABLE[(value ^ bytes[i]!) & 0xff]!;
  return value;
}

/** The FCS as sent: complemented; on the wire low byte first. */
export function fcs16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return (fcsUpdate(FCS_INIT, bytes, start, end) ^ 0xffff) & 0xffff;
}
