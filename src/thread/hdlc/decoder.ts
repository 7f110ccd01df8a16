import { Transform, type TransformCallback } from 'node:stream';
import { HDLC_ESCAPE, HDLC_ESCAPE_XOR, HDLC_FLAG, HDLC_MAX_FRAME } from './constants.js';
import { fcs16 } from './fcs.js';

export interface HdlcCounters {
  /** Frames delivered with a valid FCS. */
  frames: number;
  /** Frames dropped because their FCS did not match. */
  badFcs: number;
  /** Frames dropped for being shorter than the FCS or longer than HDLC_MAX_FRAME. */
  badLength: number;
  /** Bytes seen outside any frame (before the first flag, or after an overflow). */
  garbageBytes: number;
  /** Every byte received, valid or not. */
  bytesIn: number;
}

export type HdlcDropReason = 'bad-fcs' | 'bad-length';

/**
 * HDLC-lite deframer: bytes in, whole unescaped frames (FCS checked and removed) out. Bytes before
 * the first flag are counted as garbage, an empty frame between two flags is nothing, and a frame
 * with a bad FCS or length is dropped, counted and reported with a `drop` event (reason, unescaped
 * bytes); the next flag
 * starts a fresh frame, so one bad frame never costs the next one.
 */
export class HdlcDecoder extends Transform {
  readonly counters: HdlcCounters = { frames: 0, badFcs: 0, badLength: 0, garbageBytes: 0, bytesIn: 0 };
  private readonly buffer = Buffer.allocUnsafe(HDLC_MAX_FRAME);
  private length = 0;
  private inFrame = false;
  private escaped = false;
  private overflow = false;

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.counters.bytesIn += chunk.length;
    for (const byte of chunk) this.feed(byte);
    done();
  }

  private feed(byte: number): void {
    if (byte === HDLC_FLAG) {
      if (this.inFrame) this.closeFrame();
      this.inFrame = true;
      this.length = 0;
      this.escaped = false;
      this.overflow = false;
      return;
    }
    if (!this.inFrame) {
      this.counters.garbageBytes++;
      return;
    }
    if (byte === HDLC_ESCAPE) {
      this.escaped = true;
      return;
    }
    const value = this.escaped ? byte ^ HDLC_ESCAPE_XOR : byte;
    this.escaped = false;
    if (this.length === HDLC_MAX_FRAME) {
      this.overflow = true;
      return;
    }
    this.buffer[this.length++] = value;
  }

  private closeFrame(): void {
    if (this.length === 0 && !this.overflow) return;
    if (this.overflow || this.length < 3) {
      this.counters.badLength++;
      this.emit('drop', 'bad-length' satisfies HdlcDropReason, Buffer.from(this.buffer.subarray(0, this.length)));
      return;
    }
    const end = this.length - 2;
    const received = this.buffer[end]! | (this.buffer[end + 1]! << 8);
    if (fcs16(this.buffer, 0, end) !== received) {
      this.counters.badFcs++;
      this.emit('drop', 'bad-fcs' satisfies HdlcDropReason, Buffer.from(this.buffer.subarray(0, this.length)));
      return;
    }
    this.counters.frames++;
    this.push(Buffer.from(this.buffer.subarray(0, end)));
  }
}
