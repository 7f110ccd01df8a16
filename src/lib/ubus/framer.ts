/** Cuts a ubus socket byte stream into whole messages; survives partial reads and coalesced writes. */
import { Transform, type TransformCallback } from 'node:stream';
import { messageLength, UBUS_MAX_MSGLEN, UBUS_MSG_HEADER_LEN } from './message.js';

export class UbusFrameError extends Error {
  override name = 'UbusFrameError';
}

/** Emits one Buffer per message (header + blob). A length beyond UBUS_MAX_MSGLEN is a stream error. */
export class UbusFramer extends Transform {
  private pending: Buffer = Buffer.alloc(0);

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const length = messageLength(this.pending);
      if (length === undefined) break;
      if (length > UBUS_MAX_MSGLEN + UBUS_MSG_HEADER_LEN || length < UBUS_MSG_HEADER_LEN + 4) {
        callback(new UbusFrameError(`ubus message length ${length} is out of range; stream out of sync`));
        return;
      }
      if (this.pending.length < length) break;
      this.push(Buffer.from(this.pending.subarray(0, length)));
      this.pending = this.pending.subarray(length);
    }
    callback();
  }

  /** Bytes received but not yet forming a whole message. */
  get bufferedBytes(): number {
    return this.pending.length;
  }
}
