export const HDLC_FLAG = 0x7e;
export const HDLC_ESCAPE = 0x7d;
export const HDLC_ESCAPE_XOR = 0x20;
/** Bytes OpenThread escapes (the captures show all five): flag, escape, XON, XOFF and 0xF8. */
export const HDLC_ESCAPED_BYTES: ReadonlySet<number> = new Set([0x7e, 0x7d, 0x11, 0x13, 0xf8]);
/** SPINEL_FRAME_MAX_SIZE (1300) plus the two FCS bytes. */
export const HDLC_MAX_FRAME = 1302;
