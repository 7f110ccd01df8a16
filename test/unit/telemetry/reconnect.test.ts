import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isTransportError, probeTcp, ReconnectTimer } from '../../../src/telemetry/upstream/reconnect.js';

function timer(probe: () => Promise<boolean>) {
  const calls: number[] = [];
  const reconnect = new ReconnectTimer({ initialMs: 60_000, maxMs: 60_000, probeIntervalMs: 20, probe: async () => { calls.push(Date.now()); return probe(); } });
  return { reconnect, calls };
}

describe('ReconnectTimer', () => {
  it('after a transport failure, a successful TCP probe brings the attempt forward from a 30-60 s backoff', async () => {
    let up = false;
    const { reconnect, calls } = timer(async () => up);
    const attempted = new Promise<number>((resolve) => {
      const delay = reconnect.schedule('transport', () => resolve(delay));
    });
    await expect.poll(() => calls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    up = true;
    expect(await attempted).toBeGreaterThanOrEqual(30_000);
    reconnect.cancel();
  });

  it('a broker that refused us gets no probes, only the backoff', async () => {
    const { reconnect, calls } = timer(async () => true);
    let attempts = 0;
    reconnect.schedule('refused', () => { attempts++; });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toEqual([]);
    expect(attempts).toBe(0);
    reconnect.cancel();
  });

  it('a probe brings forward one attempt per backoff interval: if it fails too, the next wait has no probes', async () => {
    const { reconnect, calls } = timer(async () => true);
    await new Promise<void>((resolve) => reconnect.schedule('transport', resolve));
    const probesBefore = calls.length;
    let again = 0;
    reconnect.schedule('transport', () => { again++; });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.length).toBe(probesBefore);
    expect(again).toBe(0);
    reconnect.reset();
    const next = new Promise<void>((resolve) => reconnect.schedule('transport', resolve));
    await next;
    expect(calls.length).toBeGreaterThan(probesBefore);
  });

  it('cancel stops both the timer and the probes', async () => {
    const { reconnect, calls } = timer(async () => false);
    let attempts = 0;
    reconnect.schedule('transport', () => { attempts++; });
    await expect.poll(() => calls.length, { timeout: 10_000 }).toBeGreaterThan(0);
    reconnect.cancel();
    const seen = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls.length).toBeLessThanOrEqual(seen + 1);
    expect(attempts).toBe(0);
  });

  it('classifies socket errors and probes a real port', async () => {
    expect(['ECONNREFUSED', 'EHOSTUNREACH', 'ETIMEDOUT'].every(isTransportError)).toBe(true);
    expect([5, 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', undefined].some(isTransportError)).toBe(false);
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(await probeTcp('127.0.0.1', port, 5000)).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await probeTcp('127.0.0.1', port, 5000)).toBe(false);
  });
});
