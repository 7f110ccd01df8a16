import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { Waiter } from '../../lib/ubus/waiter.js';
import { HdlcDecoder } from '../hdlc/decoder.js';
import { encodeHdlcFrame } from '../hdlc/encoder.js';
import { commandName, isResetStatus, propertyName, SPINEL_COMMANDS, SPINEL_PROPERTIES, SPINEL_RESET_STACK } from './constants.js';
import { decodeSpinelFrame, encodeSpinelFrame, type SpinelFrame } from './frame.js';
import { decodeDebugText, decodeStatus, type StatusValue } from './values.js';

const C = SPINEL_COMMANDS;
const P = SPINEL_PROPERTIES;
/** What an RCP sends; anything else coming back is the host's own traffic. */
const REPLY_COMMANDS: ReadonlySet<number> = new Set([C.PROP_VALUE_IS, C.PROP_VALUE_INSERTED, C.PROP_VALUE_REMOVED]);

/** The RCP answered a request with a LAST_STATUS other than OK. */
export class SpinelStatusError extends Error {
  constructor(readonly request: string, readonly status: StatusValue) {
    super(`RCP answered ${request} with status ${status.name} (${status.status})`);
    this.name = 'SpinelStatusError';
  }
}

export class SpinelTimeoutError extends Error {
  constructor(readonly request: string, readonly timeoutMs: number) {
    super(`RCP did not answer ${request} within ${timeoutMs} ms`);
    this.name = 'SpinelTimeoutError';
  }
}

export interface SpinelClientOptions {
  /** Per-request timeout; OpenThread's host waits 2 s. */
  timeoutMs?: number;
  iid?: number;
}

export interface SpinelClientCounters {
  framesIn: number;
  framesOut: number;
  /** HDLC frames that decoded but were not Spinel (bad header flag bits, too short). */
  notSpinel: number;
  /** Replies whose TID nobody waited for. */
  stray: number;
  /** Host commands (GET, SET, RESET ...) coming back from the port: an echo, not an RCP. */
  hostCommands: number;
  resets: number;
}

/**
 * Spinel host over a byte stream (the RCP's tty): HDLC framing both ways, TIDs 1-15 cycled,
 * replies matched by IID+TID with a timeout. TID 0 frames are unsolicited: `reset` events for a
 * LAST_STATUS RESET_*, `debug` for STREAM_DEBUG text, `unsolicited` for everything else.
 */
export class SpinelClient extends EventEmitter {
  readonly counters: SpinelClientCounters = { framesIn: 0, framesOut: 0, notSpinel: 0, stray: 0, hostCommands: 0, resets: 0 };
  readonly decoder = new HdlcDecoder();
  private readonly waiter = new Waiter<SpinelFrame>();
  readonly timeoutMs: number;
  private readonly iid: number;
  private nextTid = 1;
  private closed = false;

  constructor(private readonly port: Duplex, options: SpinelClientOptions = {}) {
    super();
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.iid = options.iid ?? 0;
    port.pipe(this.decoder);
    this.decoder.on('data', (bytes: Buffer) => this.onFrame(bytes));
    port.on('error', (error: Error) => this.fail(error));
    port.on('close', () => this.fail(new Error('RCP port closed')));
  }

  async get(property: number, timeoutMs = this.timeoutMs): Promise<Uint8Array> {
    const reply = await this.request(C.PROP_VALUE_GET, property, new Uint8Array(0), timeoutMs);
    return this.replyValue(reply, property, `PROP_VALUE_GET ${propertyName(property)}`);
  }

  /** A SET is answered by IS of the same property or by LAST_STATUS OK: both are success. */
  async set(property: number, payload: Uint8Array, timeoutMs = this.timeoutMs): Promise<Uint8Array> {
    const reply = await this.request(C.PROP_VALUE_SET, property, payload, timeoutMs);
    return this.replyValue(reply, property, `PROP_VALUE_SET ${propertyName(property)}`);
  }

  async noop(timeoutMs = this.timeoutMs): Promise<void> {
    const reply = await this.request(C.NOOP, undefined, new Uint8Array(0), timeoutMs);
    const status = decodeStatus(reply.payload);
    if (status.status !== 0) throw new SpinelStatusError('NOOP', status);
  }

  /** RESET (TID 0, as OpenThread sends it) and the RCP's unsolicited RESET_* status. */
  async reset(kind = SPINEL_RESET_STACK, timeoutMs = this.timeoutMs): Promise<StatusValue> {
    const request = 'RESET';
    const result = new Promise<StatusValue>((resolve, reject) => {
      const timer = setTimeout(() => { this.off('reset', onReset); reject(new SpinelTimeoutError(request, timeoutMs)); }, timeoutMs);
      const onReset = (status: StatusValue): void => { clearTimeout(timer); resolve(status); };
      this.once('reset', onReset);
    });
    this.send({ iid: this.iid, tid: 0, command: C.RESET, payload: Uint8Array.of(kind) });
    return result;
  }

  close(): void {
    this.fail(new Error('spinel client closed'));
    this.port.unpipe(this.decoder);
  }

  private replyValue(reply: SpinelFrame, property: number, request: string): Uint8Array {
    if (reply.property === P.LAST_STATUS && property !== P.LAST_STATUS) {
      const status = decodeStatus(reply.payload);
      if (status.status !== 0) throw new SpinelStatusError(request, status);
    }
    return reply.payload;
  }

  private request(command: number, property: number | undefined, payload: Uint8Array, timeoutMs: number): Promise<SpinelFrame> {
    if (this.closed) return Promise.reject(new Error('spinel client closed'));
    const tid = this.allocateTid();
    const name = `${commandName(command)}${property === undefined ? '' : ' ' + propertyName(property)} (tid ${tid})`;
    const reply = this.waiter.wait(`${this.iid}:${tid}`, { timeoutMs, timeoutError: () => new SpinelTimeoutError(name, timeoutMs) });
    this.send({ iid: this.iid, tid, command, property, payload });
    return reply;
  }

  private allocateTid(): number {
    for (let tries = 0; tries < 15; tries++) {
      const tid = this.nextTid;
      this.nextTid = tid === 15 ? 1 : tid + 1;
      if (!this.waiter.has(`${this.iid}:${tid}`)) return tid;
    }
    throw new Error('spinel: all 15 transaction ids are in flight');
  }

  private send(frame: SpinelFrame): void {
    this.counters.framesOut++;
    this.port.write(encodeHdlcFrame(encodeSpinelFrame(frame)));
  }

  private onFrame(bytes: Buffer): void {
    let frame: SpinelFrame;
    try {
      frame = decodeSpinelFrame(bytes);
    } catch (error) {
      this.counters.notSpinel++;
      this.emit('not-spinel', error);
      return;
    }
    this.counters.framesIn++;
    if (!REPLY_COMMANDS.has(frame.command)) {
      this.counters.hostCommands++;
      this.emit('host-command', frame);
      return;
    }
    if (frame.tid === 0) this.onUnsolicited(frame);
    else if (!this.waiter.resolve(`${frame.iid}:${frame.tid}`, frame)) {
      this.counters.stray++;
      this.emit('stray', frame);
    }
  }

  private onUnsolicited(frame: SpinelFrame): void {
    if (frame.command === C.PROP_VALUE_IS && frame.property === P.LAST_STATUS) {
      const status = decodeStatus(frame.payload);
      if (isResetStatus(status.status)) {
        this.counters.resets++;
        this.emit('reset', status);
        return;
      }
    }
    if (frame.command === C.PROP_VALUE_IS && frame.property === P.STREAM_DEBUG) {
      this.emit('debug', decodeDebugText(frame.payload));
      return;
    }
    this.emit('unsolicited', frame);
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.waiter.rejectAll(error);
  }
}
