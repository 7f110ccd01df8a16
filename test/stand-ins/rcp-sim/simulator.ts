// A simulated OpenThread RCP: HDLC-lite + Spinel in, replies out, as the captured ot-rcp answers,
// with the fault modes of faults.ts. Transport-free: `receive()` takes host bytes and `output` gets
// the RCP's bytes, so it runs behind a socat pty (main.ts) or in-process (unit tests, demo).
import { HdlcDecoder } from '../../../src/thread/hdlc/decoder.js';
import { encodeHdlcFrame } from '../../../src/thread/hdlc/encoder.js';
import { SpinelWriter } from '../../../src/thread/spinel/buffer.js';
import { SPINEL_CAPABILITIES as CAP, SPINEL_COMMANDS as C, SPINEL_PROPERTIES as P, SPINEL_STATUSES as S, STATUS_STACK_NATIVE_BASE } from '../../../src/thread/spinel/constants.js';
import { decodeSpinelFrame, encodeSpinelFrame, type SpinelFrame } from '../../../src/thread/spinel/frame.js';
import { decodePackedList } from '../../../src/thread/spinel/values.js';
import { loadCaptureModel, type CaptureModel } from './capture-model.js';
import type { RcpFault } from './faults.js';

export interface SimulatedRcpOptions {
  output(bytes: Buffer): void;
  fault?: RcpFault;
  /** Reply delay of the `slow` fault. */
  slowMs?: number;
  /** Its UART speed, for `wrong-baud`. */
  baud?: number;
  /** The speed the host set on its side of the line (read from the pty), for `wrong-baud`. */
  hostBaud?(): number;
  /** EUI-64 (HWADDR), 16 hex digits; default the captured RCP's. */
  hwaddr?: string;
  model?: CaptureModel;
}

const OT_ERROR_NO_ADDRESS = 10;
/** Faults under which the host never sees a valid frame from the RCP, not even its power-on status. */
const NO_SPINEL_FAULTS: ReadonlySet<RcpFault> = new Set(['silent', 'hang', 'garbage', 'echo', 'wrong-baud']);

export class SimulatedRcp {
  fault: RcpFault;
  /** Send a power-on status this many ms after the next frame, before answering it (a reboot status the host reads late). */
  powerOnAfterNextFrameMs: number | undefined;
  readonly received: SpinelFrame[] = [];
  private readonly decoder = new HdlcDecoder();
  private readonly model: CaptureModel;
  private readonly values: Map<number, Buffer>;
  private readonly sourceMatch = new Map<number, Set<string>>([[P.MAC_SRC_MATCH_SHORT_ADDRESSES, new Set()], [P.MAC_SRC_MATCH_EXTENDED_ADDRESSES, new Set()]]);
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Dropped frames, reported after the replies to the rest of the same write (as the RCP does). */
  private framingErrors: Buffer[] = [];

  constructor(private readonly options: SimulatedRcpOptions) {
    this.fault = options.fault ?? 'none';
    this.model = options.model ?? loadCaptureModel();
    this.values = new Map([...this.model.values].map(([key, value]) => [key, Buffer.from(value)]));
    if (options.hwaddr) this.values.set(P.HWADDR, Buffer.from(options.hwaddr, 'hex'));
    this.decoder.on('data', (bytes: Buffer) => this.onFrame(bytes));
    this.decoder.on('drop', (_reason: string, bytes: Buffer) => this.framingErrors.push(bytes));
  }

  /** The unsolicited LAST_STATUS RESET_POWER_ON a freshly booted RCP sends. */
  powerOn(): void {
    if (NO_SPINEL_FAULTS.has(this.fault)) return;
    this.sendFrame(powerOnStatus());
  }

  receive(bytes: Buffer): void {
    switch (this.fault) {
      case 'silent': case 'hang': return;
      case 'echo': this.options.output(Buffer.from(bytes)); return;
      case 'wrong-baud':
        if (this.options.hostBaud && this.options.hostBaud() !== (this.options.baud ?? 460800)) return this.sendLineNoise(bytes.length);
    }
    this.decoder.write(bytes);
    const errors = this.framingErrors;
    this.framingErrors = [];
    for (const dropped of errors) this.sendFramingError(dropped);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private onFrame(bytes: Buffer): void {
    if ((bytes[0]! & 0xc0) !== 0x80) return; // not `10` flag bits: dropped without reply, as the RCP does
    const frame = decodeSpinelFrame(bytes);
    this.received.push(frame);
    const powerOnMs = this.powerOnAfterNextFrameMs;
    this.powerOnAfterNextFrameMs = undefined;
    if (powerOnMs === 0) this.sendFrame(powerOnStatus());
    else if (powerOnMs !== undefined) this.later(() => this.sendFrame(powerOnStatus()), powerOnMs);
    if (this.fault === 'garbage') return this.sendLineNoise(bytes.length + 6, true);
    if (this.fault === 'reset-storm') return this.sendFrame(powerOnStatus());
    const reply = this.answer(frame);
    if (!reply) return;
    if (this.fault === 'slow') this.later(() => this.sendFrame(reply), this.options.slowMs ?? 2500);
    else this.sendFrame(reply);
  }

  private answer(frame: SpinelFrame): SpinelFrame | undefined {
    const reply = (property: number, payload: Uint8Array): SpinelFrame => ({ iid: frame.iid, tid: frame.tid, command: C.PROP_VALUE_IS, property, payload });
    if (frame.iid !== 0) return reply(P.LAST_STATUS, status(S.INVALID_INTERFACE));
    switch (frame.command) {
      case C.NOOP: return reply(P.LAST_STATUS, status(S.OK));
      case C.RESET: return powerOnStatus();
      case C.PROP_VALUE_GET: return this.get(frame.property!, reply);
      case C.PROP_VALUE_SET: return this.set(frame, reply);
      case C.PROP_VALUE_INSERT: case C.PROP_VALUE_REMOVE: return this.changeTable(frame, reply);
      default: return reply(P.LAST_STATUS, status(S.INVALID_COMMAND));
    }
  }

  private get(property: number, reply: (property: number, payload: Uint8Array) => SpinelFrame): SpinelFrame {
    const value = this.faultyValue(property) ?? this.values.get(property);
    return value ? reply(property, value) : reply(P.LAST_STATUS, status(S.PROP_NOT_FOUND));
  }

  private set(frame: SpinelFrame, reply: (property: number, payload: Uint8Array) => SpinelFrame): SpinelFrame {
    const property = frame.property!;
    if (property === P.PHY_CHAN && this.values.get(P.PHY_ENABLED)?.[0] !== 1) return reply(P.LAST_STATUS, status(S.INVALID_STATE));
    if (property === P.STREAM_RAW) return reply(P.LAST_STATUS, this.model.transmitDoneNoAck);
    if (this.model.setAnsweredByStatus.has(property)) return reply(P.LAST_STATUS, status(S.OK));
    this.values.set(property, Buffer.from(frame.payload));
    return reply(property, frame.payload);
  }

  private changeTable(frame: SpinelFrame, reply: (property: number, payload: Uint8Array) => SpinelFrame): SpinelFrame {
    const table = this.sourceMatch.get(frame.property!);
    if (!table) return reply(P.LAST_STATUS, status(S.PROP_NOT_FOUND));
    const entry = Buffer.from(frame.payload).toString('hex');
    if (frame.command === C.PROP_VALUE_INSERT) table.add(entry);
    else if (!table.delete(entry)) return reply(P.LAST_STATUS, status(STATUS_STACK_NATIVE_BASE + OT_ERROR_NO_ADDRESS));
    return reply(P.LAST_STATUS, status(S.OK));
  }

  private faultyValue(property: number): Buffer | undefined {
    const caps = (): number[] => decodePackedList(this.values.get(P.CAPS)!);
    const packedList = (list: number[]): Buffer => list.reduce((w, v) => w.packed(v), new SpinelWriter()).toBuffer();
    if (property === P.PROTOCOL_VERSION && this.fault === 'protocol-4.2') return packedList([4, 2]);
    if (property === P.CAPS && this.fault === 'not-rcp') return packedList(caps().map((c) => (c === CAP.CONFIG_RADIO ? CAP.CONFIG_FTD : c)).filter((c) => c !== CAP.MAC_RAW));
    if (property === P.CAPS && this.fault === 'no-mac-raw') return packedList(caps().filter((c) => c !== CAP.MAC_RAW));
    if (property === P.RCP_API_VERSION && this.fault === 'api-too-old') return packedList([3]);
    if (property === P.RCP_MIN_HOST_API_VERSION && this.fault === 'api-too-new') return packedList([12]);
    return undefined;
  }

  /** STREAM_DEBUG as the captured RCP reports a dropped frame: `Framing error 6: [`, then `8D 02 ...]\n`. */
  private sendFramingError(dropped: Buffer): void {
    const debug = (text: string): SpinelFrame => ({ iid: 0, tid: 0, command: C.PROP_VALUE_IS, property: P.STREAM_DEBUG, payload: Buffer.from(text) });
    const hex = [...dropped].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    this.sendFrame(debug(this.model.framingErrorPrefix));
    this.sendFrame(debug(`${hex}]\n`));
  }

  /** Bytes a UART sampling at the wrong speed makes of a reply: never a flag, so never a frame. */
  private sendLineNoise(length: number, withFlags = false): void {
    const noise = Buffer.alloc(length);
    for (let i = 0; i < length; i++) noise[i] = (i * 73 + 41) & 0xff;
    for (let i = 0; i < length; i++) if (noise[i] === 0x7e && !withFlags) noise[i] = 0xfe;
    if (withFlags) { noise[0] = 0x7e; noise[length - 1] = 0x7e; }
    this.options.output(noise);
  }

  private sendFrame(frame: SpinelFrame): void {
    const bytes = encodeSpinelFrame(frame);
    if (this.fault === 'not-spinel') bytes[0] = (bytes[0]! & 0x3f) | 0x40;
    this.options.output(encodeHdlcFrame(bytes));
  }

  private later(action: () => void, delayMs: number): void {
    const timer = setTimeout(() => { this.timers.delete(timer); action(); }, delayMs);
    this.timers.add(timer);
  }
}

/** Whatever the RESET asked for, the captured RCP answers RESET_POWER_ON with TID 0. */
function powerOnStatus(): SpinelFrame {
  return { iid: 0, tid: 0, command: C.PROP_VALUE_IS, property: P.LAST_STATUS, payload: status(S.RESET_POWER_ON) };
}

function status(value: number): Buffer {
  return new SpinelWriter().packed(value).toBuffer();
}
