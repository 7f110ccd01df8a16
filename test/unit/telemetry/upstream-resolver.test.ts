import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UpstreamResolver } from '../../../src/telemetry/upstream/resolver.js';
import { UpstreamSession, type UpstreamConfig } from '../../../src/telemetry/upstream/session.js';

const dir = mkdtempSync(join(tmpdir(), 'sg-resolver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const resolvFile = join(dir, 'resolv.conf.auto');
writeFileSync(resolvFile, '# Interface wan\nnameserver 192.0.2.53\n# Interface wwan\nnameserver 198.51.100.53\n');
const notFound = () => Promise.reject(Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' }));

describe('upstream resolver', () => {
  it('uses the system answer while it works', async () => {
    const resolver = new UpstreamResolver({ host: 'tb.example.com', resolvFile, timeoutMs: 100, lookupSystem: async () => '203.0.113.7', lookupVia: notFound });
    expect(await resolver.resolve()).toEqual({ address: '203.0.113.7', source: 'system' });
  });

  it("falls back to each uplink's resolvers in turn, then to the last address that worked", async () => {
    const asked: string[][] = [];
    let lteAnswers = true;
    const resolver = new UpstreamResolver({
      host: 'tb.example.com', resolvFile, timeoutMs: 100, lookupSystem: notFound,
      lookupVia: async (_host, servers) => { asked.push(servers); if (servers[0] === '198.51.100.53' && lteAnswers) return ['203.0.113.9']; return notFound(); },
    });
    expect(await resolver.resolve()).toEqual({ address: '203.0.113.9', source: 'interface wwan' });
    expect(asked).toEqual([['192.0.2.53'], ['198.51.100.53']]);
    expect(resolver.lastError).toBe('system: ENOTFOUND; wan: ENOTFOUND');
    lteAnswers = false;
    expect(await resolver.resolve()).toEqual({ address: '203.0.113.9', source: 'last-known-good' });
  });

  it('says why when nothing resolves and nothing worked before', async () => {
    const resolver = new UpstreamResolver({ host: 'tb.example.com', resolvFile: join(dir, 'absent'), timeoutMs: 100, lookupSystem: notFound, lookupVia: notFound });
    await expect(resolver.resolve()).rejects.toThrow('cannot resolve tb.example.com: system: ENOTFOUND');
  });

  it('a TLS session to a resolved address still verifies the certificate against the host name', () => {
    const config = { upstream_host: 'tb.example.com', upstream_port: 8883, upstream_tls: true, upstream_tls_verify: true, upstream_ca_file: '', upstream_cert_file: '', upstream_key_file: '', upstream_access_token: '', upstream_client_id: 'gw', upstream_keepalive: 15 } as UpstreamConfig;
    const options = new UpstreamSession(config).clientOptions('203.0.113.9');
    expect(options).toMatchObject({ host: '203.0.113.9', servername: 'tb.example.com', rejectUnauthorized: true });
  });
});
