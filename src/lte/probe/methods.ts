import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import type { CommandRunner } from '../command.js';

export type ProbeMethod = 'icmp' | 'http' | 'dns';

export interface ProbeTarget {
  method: ProbeMethod;
  /** IP or host for icmp; URL for http(s); DNS server IP for dns. */
  target: string;
}

export interface ProbeContext {
  /** Linux device the probe must leave through (e.g. `wwan0`). */
  device: string;
  timeoutMs: number;
  dnsName: string;
  runner: CommandRunner;
}

export interface ProbeResult {
  target: string;
  method: ProbeMethod;
  ok: boolean;
  rttMs?: number;
  error?: string;
}

/** First IPv4 address of a device: node cannot SO_BINDTODEVICE, so sockets bind to this address. */
export function deviceAddress(device: string): string | undefined {
  return networkInterfaces()[device]?.find((address) => address.family === 'IPv4' && !address.internal)?.address;
}

export async function probeIcmp(target: string, context: ProbeContext): Promise<ProbeResult> {
  const started = Date.now();
  const waitS = Math.max(1, Math.ceil(context.timeoutMs / 1000));
  const result = await context.runner.run('ping', ['-n', '-q', '-c', '1', '-W', String(waitS), '-I', context.device, target], { timeoutMs: context.timeoutMs + 1000 });
  if (result.code === 0) {
    const rtt = /= [\d.]+\/([\d.]+)\//.exec(result.stdout);
    return { target, method: 'icmp', ok: true, rttMs: rtt ? Number(rtt[1]) : Date.now() - started };
  }
  return { target, method: 'icmp', ok: false, error: result.spawnError ?? (result.timedOut ? 'timeout' : `no reply (exit ${result.code})`) };
}

export async function probeHttp(url: string, context: ProbeContext): Promise<ProbeResult> {
  const localAddress = deviceAddress(context.device);
  if (!localAddress) return { target: url, method: 'http', ok: false, error: `device ${context.device} has no IPv4 address` };
  // Loaded on first use: http/https (with TLS) add ~1.5 MB of RSS that an icmp-probing watchdog never needs.
  const { get } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  const started = Date.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: ProbeResult) => { if (!done) { done = true; resolve(result); } };
    try {
      const request = get(url, { localAddress, timeout: context.timeoutMs, headers: { 'user-agent': 'smartgrid-lte-probe' } }, (response) => {
        response.resume();
        // Any HTTP answer proves the path works; the status is reported, not judged.
        finish({ target: url, method: 'http', ok: true, rttMs: Date.now() - started });
        request.destroy();
      });
      request.on('timeout', () => { request.destroy(); finish({ target: url, method: 'http', ok: false, error: 'timeout' }); });
      request.on('error', (error) => finish({ target: url, method: 'http', ok: false, error: error.message }));
    } catch (error) {
      finish({ target: url, method: 'http', ok: false, error: (error as Error).message });
    }
  });
}

/** A minimal DNS query (RFC 1035): header, one question, type A, class IN, recursion desired. */
export function buildDnsQuery(id: number, name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts: Buffer[] = [Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const label of labels) parts.push(Buffer.from([label.length]), Buffer.from(label, 'ascii'));
  parts.push(Buffer.from([0, 0, 1, 0, 1]));
  return Buffer.concat(parts);
}

export function probeDns(server: string, context: ProbeContext): Promise<ProbeResult> {
  const started = Date.now();
  const localAddress = deviceAddress(context.device);
  const [host, port = '53'] = server.split('#');
  return new Promise((resolve) => {
    if (!localAddress) return resolve({ target: server, method: 'dns', ok: false, error: `device ${context.device} has no IPv4 address` });
    const socket = createSocket('udp4');
    const id = Math.floor(Math.random() * 0xffff);
    let done = false;
    const finish = (result: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ target: server, method: 'dns', ok: false, error: 'timeout' }), context.timeoutMs);
    socket.on('error', (error) => finish({ target: server, method: 'dns', ok: false, error: error.message }));
    socket.on('message', (message) => {
      if (message.length >= 12 && message.readUInt16BE(0) === id && (message[2] & 0x80)) {
        finish({ target: server, method: 'dns', ok: true, rttMs: Date.now() - started });
      }
    });
    socket.bind({ address: localAddress, port: 0 }, () => {
      socket.send(buildDnsQuery(id, context.dnsName), Number(port), host, (error) => {
        if (error) finish({ target: server, method: 'dns', ok: false, error: error.message });
      });
    });
  });
}

export function runProbe(target: ProbeTarget, context: ProbeContext): Promise<ProbeResult> {
  if (target.method === 'http') return probeHttp(target.target, context);
  if (target.method === 'dns') return probeDns(target.target, context);
  return probeIcmp(target.target, context);
}
