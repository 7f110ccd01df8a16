// Probes a serial port for an OpenThread RCP before otbr-agent owns it: opens it at each baud of the
// list in turn, resets the RCP and runs otbr-agent's handshake, and says why when it fails.
import { SpinelClient } from '../spinel/client.js';
import { describeHolders, findPortHolders, type PortHolder } from './holders.js';
import { checkCompatibility, OTBR_HOST_API, readRcpInfo, type HostApiRange, type IncompatibleCause, type RcpInfo } from './identity.js';
import { openSerialPort, SerialOpenError, sttySetBaud, type SerialOpenFailure, type SetBaud } from './serial-port.js';

export type ProbeCause = 'ok' | SerialOpenFailure | IncompatibleCause | 'no-bytes' | 'no-hdlc' | 'not-spinel' | 'echo' | 'reset-storm' | 'slow' | 'error';

/** The common RCP speeds, tried after the configured one. */
export const COMMON_BAUDS = [460800, 115200, 1000000, 921600];

export interface ProbeAttempt { baud: number; cause: ProbeCause; message: string }

export interface ProbeReport {
  ok: boolean;
  cause: ProbeCause;
  message: string;
  path: string;
  /** The speed at which the RCP answered. */
  baud?: number;
  info?: RcpInfo;
  attempts: ProbeAttempt[];
  holders?: PortHolder[];
}

export interface ProbeOptions {
  path: string;
  /** Tried in order, duplicates dropped; usually [configured, ...COMMON_BAUDS]. */
  bauds: number[];
  /** Per-request timeout (otbr-agent: 2000 ms). */
  timeoutMs?: number;
  /** After a timeout, how long a late answer is still waited for, to tell "slow" from "silent". */
  lateGraceMs?: number;
  host?: HostApiRange;
  setBaud?: SetBaud;
  holders?(path: string): Promise<PortHolder[]>;
}

/** Causes after which another baud rate may help. */
const BAUD_CAUSES: ReadonlySet<ProbeCause> = new Set(['no-bytes', 'no-hdlc']);

export async function probeRcp(options: ProbeOptions): Promise<ProbeReport> {
  const { path } = options;
  const holders = await (options.holders ?? findPortHolders)(path);
  if (holders.length > 0) {
    return fail(path, [], 'busy', `${path} is held by ${describeHolders(holders)}: only one process may own the RCP's port (stop it, or if it is ModemManager, blacklist the dongle)`, holders);
  }
  const attempts: ProbeAttempt[] = [];
  for (const baud of [...new Set(options.bauds)]) {
    const attempt = await probeAtBaud(options, baud);
    if (attempt.info) return { ok: true, cause: 'ok', message: `OpenThread RCP at ${baud} baud: ${attempt.info.ncpVersion}`, path, baud, info: attempt.info, attempts: [...attempts, attempt] };
    attempts.push(attempt);
    if (!BAUD_CAUSES.has(attempt.cause)) return { ...fail(path, attempts, attempt.cause, attempt.message), baud, info: attempt.incompatible };
  }
  return summarise(path, attempts);
}

function fail(path: string, attempts: ProbeAttempt[], cause: ProbeCause, message: string, holders?: PortHolder[]): ProbeReport {
  return { ok: false, cause, message, path, attempts, holders };
}

function summarise(path: string, attempts: ProbeAttempt[]): ProbeReport {
  const bauds = attempts.map((a) => a.baud).join(', ');
  if (attempts.some((a) => a.cause === 'no-hdlc')) {
    return fail(path, attempts, 'no-hdlc', `bytes from ${path} but no valid HDLC frame at ${bauds} baud: likely a wrong baud rate (set smartgrid.thread.baudrate to the firmware's) or a firmware that does not speak Spinel`);
  }
  return fail(path, attempts, 'no-bytes', `no byte at all from ${path} at ${bauds} baud: the dongle is silent (no RCP firmware, stuck in its bootloader, or hung: replug it)`);
}

interface AttemptResult extends ProbeAttempt { info?: RcpInfo; incompatible?: RcpInfo }

async function probeAtBaud(options: ProbeOptions, baud: number): Promise<AttemptResult> {
  let port;
  try {
    port = await openSerialPort(options.path, baud, options.setBaud ?? sttySetBaud);
  } catch (error) {
    if (error instanceof SerialOpenError) return { baud, cause: error.failure, message: error.message };
    throw error;
  }
  const client = new SpinelClient(port.stream, { timeoutMs: options.timeoutMs ?? 2000 });
  let resetsOnceReset = 0;
  try {
    await client.reset();
    resetsOnceReset = client.counters.resets;
    const info = await readRcpInfo(client);
    const problem = checkCompatibility(info, options.host ?? OTBR_HOST_API);
    return problem ? { baud, ...problem, incompatible: info } : { baud, cause: 'ok', message: 'ok', info };
  } catch (error) {
    return { baud, ...(await classifyFailure(client, error as Error, options.lateGraceMs ?? 1500, resetsOnceReset)) };
  } finally {
    client.close();
    port.close();
  }
}

/** What the line showed when the handshake failed: nothing, noise, foreign frames, an echo, resets, late answers. */
async function classifyFailure(client: SpinelClient, error: Error, lateGraceMs: number, resetsOnceReset: number): Promise<{ cause: ProbeCause; message: string }> {
  // Once our RESET completed, only a late reply to a request is evidence of slowness: a reset then may
  // be the late answer to the RESET itself (after a stale power-on status completed it).
  const late = await lateAnswer(client, lateGraceMs, resetsOnceReset === 0);
  const { decoder, counters } = client;
  // A storm: after our RESET completed, requests were answered with resets and nothing else ever came.
  const storm = resetsOnceReset > 0 && counters.resets > resetsOnceReset && counters.framesIn === counters.resets;
  if (counters.hostCommands > 0) return { cause: 'echo', message: `the port sends back what is written to it (a loopback or a console with echo on), not an RCP` };
  if (storm) return { cause: 'reset-storm', message: `the RCP reset ${counters.resets} times during the probe and answered nothing else: a crash or power loop (check the USB power, reflash the firmware)` };
  if (late !== undefined) return { cause: 'slow', message: `the RCP answered after more than ${late} ms, beyond otbr-agent's 2000 ms limit: a busy or failing dongle (replug it; check the USB hub)` };
  if (counters.notSpinel > 0 && counters.framesIn === 0) return { cause: 'not-spinel', message: `HDLC frames but no Spinel (${counters.notSpinel} frames with other header bits): not an OpenThread firmware` };
  if (decoder.counters.bytesIn === 0) return { cause: 'no-bytes', message: 'no byte at all' };
  if (decoder.counters.frames === 0) return { cause: 'no-hdlc', message: `${decoder.counters.bytesIn} bytes but no valid HDLC frame` };
  return { cause: 'error', message: `the RCP handshake failed: ${error.message}` };
}

/**
 * Resolves with the request timeout when a late reply (or, with `resetCounts`, a reset) arrives within
 * the grace period, else undefined.
 */
function lateAnswer(client: SpinelClient, graceMs: number, resetCounts: boolean): Promise<number | undefined> {
  return new Promise((resolve) => {
    const done = (late: number | undefined): void => {
      clearTimeout(timer);
      client.off('stray', onLate);
      client.off('reset', onLate);
      resolve(late);
    };
    const onLate = (): void => done(client.timeoutMs);
    const timer = setTimeout(() => done(undefined), graceMs);
    client.on('stray', onLate);
    if (resetCounts) client.on('reset', onLate);
  });
}
