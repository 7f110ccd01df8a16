import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { probeHttp, type ProbeContext } from '../../../src/lte/probe/methods.js';
import { describeUnless } from '../../helpers/skip.js';

// probeHttp binds to the device's own IPv4 address, so the test needs one non-loopback interface.
const device = Object.entries(networkInterfaces()).find(([, addresses]) => addresses?.some((a) => a.family === 'IPv4' && !a.internal));
const address = device?.[1]?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
const context = (name: string): ProbeContext => ({ device: name, timeoutMs: 2000, dnsName: 'openwrt.org', runner: undefined as never });

describeUnless(device ? null : 'needs a non-loopback IPv4 interface to bind the probe to', 'probeHttp (http/https loaded on first use)', () => {
  let server: Server;
  let port = 0;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_request, response) => { requests++; response.writeHead(204).end(); });
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('succeeds on any HTTP answer, through the device address', async () => {
    const result = await probeHttp(`http://${address}:${port}/generate_204`, context(device![0]));
    expect(result).toMatchObject({ method: 'http', ok: true });
    expect(result.rttMs).toBeGreaterThanOrEqual(0);
    expect(requests).toBe(1);
  });

  it('fails with the socket error when nothing answers (http and https)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, address, () => { const free = (probe.address() as AddressInfo).port; probe.close(() => resolve(free)); });
    });
    for (const scheme of ['http', 'https']) {
      const result = await probeHttp(`${scheme}://${address}:${closed}/`, context(device![0]));
      expect(result).toMatchObject({ method: 'http', ok: false, error: expect.stringContaining('ECONNREFUSED') });
    }
  });

  it('fails without a request when the device has no IPv4 address', async () => {
    expect(await probeHttp(`http://${address}:${port}/`, context('no-such-dev0'))).toEqual({
      target: `http://${address}:${port}/`, method: 'http', ok: false, error: 'device no-such-dev0 has no IPv4 address',
    });
  });
});
