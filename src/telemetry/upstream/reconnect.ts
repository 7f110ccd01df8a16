import { connect } from 'node:net';
import { Backoff } from '../../lib/backoff.js';

/** Socket errors that say the upstream could not be reached (as opposed to reached and refusing us). */
const TRANSPORT_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

export function isTransportError(code: unknown): boolean {
  return typeof code === 'string' && TRANSPORT_ERRORS.has(code);
}

export interface ReconnectOptions {
  initialMs: number;
  maxMs: number;
  /** While waiting after a transport failure, a bare TCP connect every [half, full] of this; default 2000 ms. */
  probeIntervalMs?: number;
  /** Resolves true when the upstream's port accepts a TCP connection. */
  probe(): Promise<boolean>;
  random?: () => number;
}

/**
 * When to try ThingsBoard again. Full attempts (DNS, TCP, TLS, MQTT CONNECT) follow jittered exponential
 * backoff up to `maxMs`, so a broker that refuses us (credentials, certificate) is not hammered. After a
 * transport failure (refused, unreachable, reset: the broker or the path is down) a bare TCP connect also
 * checks every ~`probeIntervalMs` (a SYN answered by a RST while it is down) and the full attempt is made
 * as soon as one succeeds, so the session returns within a few seconds of the upstream, however long the
 * outage and the backoff grew. A probe brings forward at most one attempt per backoff interval: if that
 * attempt fails too, the next wait has no probes.
 */
export class ReconnectTimer {
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private lastAttemptByProbe = false;

  constructor(private readonly options: ReconnectOptions) {
    this.backoff = new Backoff(options.initialMs, options.maxMs, options.random);
  }

  /** Schedules the next attempt after a failure; returns the backoff delay. */
  schedule(failure: 'transport' | 'refused', attempt: () => void): number {
    this.cancel();
    const generation = this.generation;
    const delay = this.backoff.next();
    this.timer = setTimeout(() => this.fire(generation, false, attempt), delay);
    const interval = this.options.probeIntervalMs ?? 2000;
    if (failure === 'transport' && !this.lastAttemptByProbe && delay > interval) this.probeLater(generation, interval, attempt);
    return delay;
  }

  /** The next attempt at once (uplink change), without a backoff step. */
  now(attempt: () => void): void {
    this.cancel();
    const generation = this.generation;
    this.timer = setTimeout(() => this.fire(generation, false, attempt), 0);
  }

  /** After a successful connect: the next outage starts with fast retries again. */
  reset(): void {
    this.backoff.reset();
    this.lastAttemptByProbe = false;
  }

  cancel(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  get failures(): number { return this.backoff.failures; }

  private fire(generation: number, byProbe: boolean, attempt: () => void): void {
    if (generation !== this.generation) return;
    this.cancel();
    this.lastAttemptByProbe = byProbe;
    attempt();
  }

  private probeLater(generation: number, interval: number, attempt: () => void): void {
    const wait = Math.round(interval / 2 + ((this.options.random ?? Math.random)() * interval) / 2);
    const probeTimer = setTimeout(() => {
      if (generation !== this.generation) return;
      void this.options.probe().then((up) => {
        if (generation !== this.generation) return;
        if (up) this.fire(generation, true, attempt);
        else this.probeLater(generation, interval, attempt);
      });
    }, wait);
    probeTimer.unref();
  }
}

/** A TCP connect to host:port, closed at once: true if it was accepted within `timeoutMs`. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (up: boolean) => { clearTimeout(timer); socket.destroy(); resolve(up); };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
