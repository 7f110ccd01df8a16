import type { CommandRunner } from '../command.js';

export interface PingOptions {
  /** Echo requests per target and round (mwan3 `count`). */
  count: number;
  /** Seconds to wait for the last reply (mwan3 `timeout`). */
  timeoutS: number;
}

export interface TargetSample {
  target: string;
  sent: number;
  received: number;
  /** Percent of echo requests without a reply, 0-100. */
  loss: number;
  /** Average round trip of the replies; undefined when none came back. */
  latencyMs?: number;
  error?: string;
}

const SENT_RECEIVED = /(\d+) packets transmitted, (\d+) (?:packets )?received/;
/** iputils `rtt min/avg/max/mdev = a/b/c/d ms`, busybox `round-trip min/avg/max = a/b/c ms`. */
const AVERAGE_RTT = /= [\d.]+\/([\d.]+)\//;
const INTERVAL_S = 0.2;

/** Parses the summary that iputils and busybox ping print with -q. */
export function parsePingSummary(target: string, text: string): TargetSample | undefined {
  const counts = SENT_RECEIVED.exec(text);
  if (!counts) return undefined;
  const sent = Number(counts[1]);
  const received = Number(counts[2]);
  const rtt = AVERAGE_RTT.exec(text);
  const loss = sent === 0 ? 100 : Math.round(((sent - received) / sent) * 100);
  return { target, sent, received, loss, latencyMs: received > 0 && rtt ? Number(rtt[1]) : undefined };
}

/**
 * `ping -I <device>`: the socket is bound to the device (SO_BINDTODEVICE), so the echo requests leave
 * through the uplink they judge whatever the routing table prefers. `-w` bounds the whole round.
 */
export async function pingThrough(device: string, target: string, options: PingOptions, runner: CommandRunner): Promise<TargetSample> {
  const deadlineS = Math.ceil((options.count - 1) * INTERVAL_S + options.timeoutS);
  const args = ['-n', '-q', '-I', device, '-c', String(options.count), '-i', String(INTERVAL_S), '-W', String(options.timeoutS), '-w', String(deadlineS), target];
  const result = await runner.run('ping', args, { timeoutMs: (deadlineS + 2) * 1000 });
  const sample = parsePingSummary(target, result.stdout);
  if (sample) return sample;
  const reason = result.spawnError ?? (result.timedOut ? 'ping timed out' : (result.stderr.trim().split('\n').pop() || `ping exit ${result.code}`));
  return { target, sent: 0, received: 0, loss: 100, error: reason };
}
