/**
 * Sits between the socket and mqtt-packet's parser, which buffers a whole packet before it parses
 * it: a 20 MB PUBLISH would cost 20 MB and more. Packets up to `maxPacketBytes` pass through. A larger
 * PUBLISH is not buffered: its topic, message id and the first `headBytes` of its payload are kept and
 * the rest is skipped as it streams in, then `onOversized` gets them (so it can be rejected and
 * acknowledged). Any other oversized packet is a protocol error (`onError`).
 */
export interface OversizedPublish {
  topic: string;
  qos: number;
  messageId: number | undefined;
  /** Whole remaining length of the packet (topic, message id and payload). */
  packetBytes: number;
  /** The first bytes of the payload. */
  head: Buffer;
}

export interface PacketGuardOptions {
  maxPacketBytes: number;
  headBytes?: number;
  forward(chunk: Buffer): void;
  onOversized(publish: OversizedPublish): void;
  onError(message: string): void;
}

type State =
  | { kind: 'header'; bytes: number[] }
  | { kind: 'pass'; left: number }
  | { kind: 'capture'; flags: number; length: number; taken: Buffer[]; takenBytes: number; want: number }
  | { kind: 'skip'; left: number };

export class PacketGuard {
  private state: State = { kind: 'header', bytes: [] };
  /** Most bytes this guard held at once (its own buffering; the parser's is bounded by maxPacketBytes). */
  heldMax = 0;

  constructor(private readonly options: PacketGuardOptions) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.state.kind === 'header' && this.state.bytes.length === 0) {
        const end = this.wholePackets(chunk, at);
        if (end > at) { this.options.forward(chunk.subarray(at, end)); at = end; continue; }
      }
      at = this.step(chunk, at);
    }
  }

  /**
   * End of the run of complete packets within the limit that starts at `at`: the usual case, passed on
   * in one piece without copying. A packet cut by the chunk's end, too large or malformed is left to `step`.
   */
  private wholePackets(chunk: Buffer, at: number): number {
    let pos = at;
    while (pos < chunk.length) {
      let length = 0;
      let i = pos + 1;
      for (let multiplier = 1; i < chunk.length && i <= pos + 4; i++, multiplier *= 128) {
        length += (chunk[i]! & 0x7f) * multiplier;
        if ((chunk[i]! & 0x80) === 0) break;
      }
      if (i >= chunk.length || i > pos + 4) return pos;
      const end = i + 1 + length;
      if (length > this.options.maxPacketBytes || end > chunk.length) return pos;
      pos = end;
    }
    return pos;
  }

  private step(chunk: Buffer, at: number): number {
    const state = this.state;
    if (state.kind === 'pass' || state.kind === 'skip') {
      const n = Math.min(state.left, chunk.length - at);
      if (state.kind === 'pass') this.options.forward(chunk.subarray(at, at + n));
      state.left -= n;
      if (state.left === 0) this.state = { kind: 'header', bytes: [] };
      return at + n;
    }
    if (state.kind === 'capture') return this.capture(state, chunk, at);
    state.bytes.push(chunk[at]!);
    const length = remainingLength(state.bytes);
    if (length === undefined) return at + 1;
    if (length === -1) { this.options.onError('malformed remaining length'); this.state = { kind: 'skip', left: Infinity }; return chunk.length; }
    if (length <= this.options.maxPacketBytes) {
      this.options.forward(Buffer.from(state.bytes));
      this.state = length ? { kind: 'pass', left: length } : { kind: 'header', bytes: [] };
      return at + 1;
    }
    if (state.bytes[0]! >> 4 !== 3) { this.options.onError(`packet of ${length} bytes exceeds ${this.options.maxPacketBytes}`); this.state = { kind: 'skip', left: Infinity }; return chunk.length; }
    this.state = { kind: 'capture', flags: state.bytes[0]! & 0x0f, length, taken: [], takenBytes: 0, want: 2 };
    return at + 1;
  }

  /** Collects topic length, topic, message id and the payload head, then skips the rest. */
  private capture(state: Extract<State, { kind: 'capture' }>, chunk: Buffer, at: number): number {
    const n = Math.min(state.want - state.takenBytes, chunk.length - at);
    state.taken.push(chunk.subarray(at, at + n));
    state.takenBytes += n;
    this.heldMax = Math.max(this.heldMax, state.takenBytes);
    if (state.takenBytes < state.want) return at + n;
    const head = Buffer.concat(state.taken);
    const topicLength = head.readUInt16BE(0);
    const qos = (state.flags >> 1) & 0x03;
    const fixed = 2 + topicLength + (qos > 0 ? 2 : 0);
    const wanted = Math.min(state.length, fixed + (this.options.headBytes ?? 1024));
    if (state.want < wanted) { state.want = wanted; return at + n; }
    this.options.onOversized({
      topic: head.toString('utf8', 2, 2 + topicLength), qos, messageId: qos > 0 ? head.readUInt16BE(2 + topicLength) : undefined,
      packetBytes: state.length, head: Buffer.from(head.subarray(fixed)),
    });
    const left = state.length - state.takenBytes;
    this.state = left ? { kind: 'skip', left } : { kind: 'header', bytes: [] };
    return at + n;
  }
}

/** MQTT variable-length integer after the first header byte: undefined = need more bytes, -1 = malformed. */
function remainingLength(bytes: number[]): number | undefined {
  let value = 0;
  for (let i = 1; i < bytes.length; i++) {
    value += (bytes[i]! & 0x7f) * 128 ** (i - 1);
    if ((bytes[i]! & 0x80) === 0) return value;
    if (i === 4) return -1;
  }
  return undefined;
}
