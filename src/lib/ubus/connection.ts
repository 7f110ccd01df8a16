/**
 * One connection to ubusd: connects, waits for HELLO (which names our client id), numbers requests from 1,
 * and pairs DATA/STATUS replies with their request by (seq, peer). Everything else is emitted as 'message'.
 */
import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import type { Logger } from '../log.js';
import { UbusFramer } from './framer.js';
import { decodeMessage, describeMessage, encodeMessage, getAttr, UBUS_MSG, type UbusAttr, type UbusMessage } from './message.js';
import { UBUS_STATUS, UbusError } from './types.js';
import { Waiter } from './waiter.js';

export interface UbusReply {
  status: number;
  /** The DATA messages received before the STATUS, in order. */
  data: UbusMessage[];
}

export interface RequestOptions {
  timeoutMs: number;
  /** Names the request in errors: `ubus call system board`. */
  context: string;
}

const HELLO_TIMEOUT_MS = 5000;

function replyKey(seq: number, peer: number): string {
  return `${seq}:${peer >>> 0}`;
}

export class UbusConnection extends EventEmitter {
  private seq = 0;
  private closed = false;
  private readonly waiter = new Waiter<UbusReply>();
  private readonly collected = new Map<string, UbusMessage[]>();

  private constructor(private readonly socket: Socket, readonly clientId: number, private readonly log: Logger) {
    super();
  }

  /** Connects and waits for ubusd's HELLO; rejects with UbusError CONNECTION_FAILED. */
  static open(socketPath: string, log: Logger): Promise<UbusConnection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(socketPath);
      const framer = new UbusFramer();
      let connection: UbusConnection | undefined;
      const fail = (reason: string): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(new UbusError(UBUS_STATUS.CONNECTION_FAILED, `ubus connect ${socketPath} (${reason})`));
      };
      const timer = setTimeout(() => fail('no HELLO from ubusd'), HELLO_TIMEOUT_MS);
      socket.once('error', (error) => {
        if (!connection) fail(error.message);
      });
      socket.once('close', () => {
        if (!connection) fail('closed before HELLO');
      });
      socket.pipe(framer);
      framer.on('error', (error) => {
        log.error('ubus stream out of sync, closing', { error: error.message });
        socket.destroy();
      });
      framer.on('data', (frame: Buffer) => {
        let message: UbusMessage;
        try {
          message = decodeMessage(frame);
        } catch (error) {
          log.warn('dropping undecodable ubus message', { error: (error as Error).message, hex: frame.subarray(0, 64).toString('hex') });
          return;
        }
        if (connection) {
          connection.dispatch(message);
        } else if (message.type === UBUS_MSG.HELLO) {
          clearTimeout(timer);
          connection = new UbusConnection(socket, message.peer, log);
          socket.on('error', (error) => log.debug('ubus socket error', { error: error.message }));
          socket.on('close', () => connection!.handleClose());
          resolve(connection);
        } else {
          log.warn('unexpected ubus message before HELLO', { message: describeMessage(message) });
        }
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private nextSeq(): number {
    this.seq = this.seq >= 0xffff ? 1 : this.seq + 1;
    return this.seq;
  }

  /** Sends a message without waiting; `seq` defaults to the next request number. */
  send(type: number, peer: number, attrs: UbusAttr[], seq = this.nextSeq()): number {
    if (this.closed) throw new UbusError(UBUS_STATUS.CONNECTION_FAILED, 'ubus send on a closed connection');
    this.socket.write(encodeMessage({ type, seq, peer: peer >>> 0, attrs }));
    return seq;
  }

  /** Sends a request and resolves with its DATA messages and STATUS code (non-zero statuses resolve too). */
  request(type: number, peer: number, attrs: UbusAttr[], options: RequestOptions): Promise<UbusReply> {
    if (this.closed) return Promise.reject(new UbusError(UBUS_STATUS.CONNECTION_FAILED, options.context));
    const seq = this.nextSeq();
    const key = replyKey(seq, peer);
    this.collected.set(key, []);
    const reply = this.waiter.wait(key, {
      timeoutMs: options.timeoutMs,
      timeoutError: () => new UbusError(UBUS_STATUS.TIMEOUT, `${options.context} (no reply within ${options.timeoutMs} ms)`),
      onSettle: () => this.collected.delete(key),
    });
    this.send(type, peer, attrs, seq);
    return reply;
  }

  private dispatch(message: UbusMessage): void {
    if (message.type === UBUS_MSG.DATA || message.type === UBUS_MSG.STATUS) {
      const key = replyKey(message.seq, message.peer);
      const data = this.collected.get(key);
      if (data) {
        if (message.type === UBUS_MSG.DATA) data.push(message);
        else this.waiter.resolve(key, { status: getAttr(message, 'STATUS') ?? UBUS_STATUS.UNKNOWN_ERROR, data });
        return;
      }
    }
    this.emit('message', message);
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiter.rejectAll(new UbusError(UBUS_STATUS.CONNECTION_FAILED, 'ubus connection closed'));
    this.emit('close');
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
    this.handleClose();
  }
}
