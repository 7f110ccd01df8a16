import { HDLC_ESCAPE, HDLC_ESCAPE_XOR, HDLC_ESCAPED_BYTES, HDLC_FLAG } from './constants.js';
import { fcs16 } from './fcs.js';

/** One frame as OpenThread writes it: opening flag, escaped payload and FCS, closing flag. */
export function encodeHdlcFrame(payload: Uint8Array): Buffer {
  const fcs = fcs16(payload);
  const out = Buffer.allocUnsafe(2 + (payload.length + 2) * 2);
  let at = 0;
  out[at++] = HDLC_FLAG;
  const put = (byte: number): void => {
    if (HDLC_ESCAPED_BYTES.has(byte)) {
      out[at++] = HDLC_ESCAPE;
      out[at++] = byte ^ HDLC_ESCAPE_XOR;
    } else {
      out[at++] = byte;
    }
  };
  for (const byte of payload) put(byte);
  put(fcs & 0xff);
  put(fcs >>> 8);
  out[at++] = HDLC_FLAG;
  return out.subarray(0, at);
}
