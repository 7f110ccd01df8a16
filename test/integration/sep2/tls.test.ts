import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFromCertificate } from '../../../src/sep2/tls/lfdi.js';
import { assertValidSep } from '../../helpers/sep-xsd.js';
import { makeSep2Pki, type Pem, type Sep2Pki } from '../../helpers/sep2-pki.js';
import { requireTool } from '../../helpers/tools.js';
import { sep2Request, startSep2, type RunningSep2 } from './harness.js';

/** `openssl s_client` with `args`, an HTTP GET on stdin; resolves with its output and exit code. */
function sClient(port: number, args: string[], path = '/dcap'): Promise<{ code: number; output: string }> {
  requireTool('openssl');
  return new Promise((resolve) => {
    const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-ign_eof', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
    });
    child.stdin!.end(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAccept: application/sep+xml\r\nConnection: close\r\n\r\n`);
  });
}

/** Handshake outcome of a node TLS client offering `ciphers` with `client` (or no) certificate. */
function handshake(port: number, pki: Sep2Pki, client: Pem | undefined, ciphers: string, tls = { min: 'TLSv1.2', max: 'TLSv1.2' }): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(pki.ca), ciphers,
      minVersion: tls.min as 'TLSv1.2', maxVersion: tls.max as 'TLSv1.3',
      ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
    });
    // TLS 1.2 reports a missing/unknown client certificate as an alert on the first read after the handshake.
    socket.on('secureConnect', () => socket.write('GET /tm HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
    let answer = '';
    socket.on('data', (chunk: Buffer) => { answer += chunk.toString(); });
    socket.on('end', () => resolve(answer.startsWith('HTTP/1.1') ? `ok ${socket.getCipher()?.name ?? ''}` : 'closed'));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`refused ${error.code ?? error.message}`));
  });
}

const PIN = '246800';
const BROKER_PASSWORD = 'broker-secret-7731';

describe('profile TLS: TLS 1.2, ECDHE-ECDSA-AES128-CCM8, mutual authentication', () => {
  let pki: Sep2Pki;
  let sep2: RunningSep2;
  beforeAll(async () => {
    pki = makeSep2Pki();
    const lfdi = (pem: Pem) => identityFromCertificate(pki.der(pem.cert)).lfdi;
    sep2 = await startSep2({
      pki,
      options: { client: [`${lfdi(pki.clients.utility)}=utility`], client_pin: [`${lfdi(pki.clients.utility)}=${PIN}`], broker_password: BROKER_PASSWORD, log_level: 'debug' },
    });
  });
  afterAll(async () => { await sep2?.stop(); pki?.cleanup(); });

  it('a node client with the profile suite and a CA-signed certificate gets a valid DeviceCapability', async () => {
    const answer = await sep2Request(sep2.port, pki, pki.clients.utility, 'GET', '/dcap');
    expect(answer).toMatchObject({ status: 200, cipher: 'ECDHE-ECDSA-AES128-CCM8', protocol: 'TLSv1.2' });
    expect(answer.headers['content-type']).toBe('application/sep+xml');
    assertValidSep(answer.body);
  });

  it('openssl s_client -tls1_2 -cipher ECDHE-ECDSA-AES128-CCM8 completes the handshake and reads /tm', async () => {
    const { code, output } = await sClient(sep2.port, ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-CCM8', '-CAfile', pki.ca, '-cert', pki.clients.utility.cert, '-key', pki.clients.utility.key, '-verify_return_error'], '/tm');
    expect(output).toMatch(/Cipher is ECDHE-ECDSA-AES128-CCM8/);
    expect(output).toMatch(/Protocol\s*: TLSv1\.2/);
    expect(output).toContain('HTTP/1.1 200 OK');
    expect(output).toMatch(/<Time xmlns="http:\/\/ieee.org\/2030.5" href="\/tm"/);
    expect(code).toBe(0);
  });

  it('openssl s_client with other suites, TLS 1.3, no client certificate or a foreign CA fails', async () => {
    const withCert = ['-CAfile', pki.ca, '-cert', pki.clients.utility.cert, '-key', pki.clients.utility.key];
    for (const args of [
      ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256', ...withCert],
      ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256', ...withCert],
      ['-tls1_3', ...withCert],
      ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-CCM8', '-CAfile', pki.ca],
      ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-CCM8', '-CAfile', pki.ca, '-cert', pki.foreign.cert, '-key', pki.foreign.key],
    ]) {
      const { output } = await sClient(sep2.port, args);
      expect(output, args.join(' ')).not.toContain('HTTP/1.1 200');
      expect(output, args.join(' ')).toMatch(/alert|error|errno|Cipher is \(NONE\)/i);
    }
  });

  it('node clients: RSA or GCM suites, TLS 1.3, no certificate and a foreign CA are refused', async () => {
    expect(await handshake(sep2.port, pki, pki.clients.utility, 'ECDHE-ECDSA-AES128-CCM8')).toBe('ok ECDHE-ECDSA-AES128-CCM8');
    expect(await handshake(sep2.port, pki, pki.clients.utility, 'ECDHE-RSA-AES128-GCM-SHA256')).toMatch(/^refused/);
    expect(await handshake(sep2.port, pki, pki.clients.utility, 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-CCM')).toMatch(/^refused/);
    expect(await handshake(sep2.port, pki, pki.clients.utility, 'ECDHE-ECDSA-AES128-CCM8', { min: 'TLSv1.3', max: 'TLSv1.3' })).toMatch(/^refused/);
    expect(await handshake(sep2.port, pki, undefined, 'ECDHE-ECDSA-AES128-CCM8')).toMatch(/^(refused|closed)/);
    expect(await handshake(sep2.port, pki, pki.foreign, 'ECDHE-ECDSA-AES128-CCM8')).toMatch(/^(refused|closed)/);
    const status = await sep2.status();
    expect(Number(status.tls_failures)).toBeGreaterThanOrEqual(5);
  });

  it('a verified client that is not listed gets 403; the clients list names it by LFDI without its key', async () => {
    const answer = await sep2Request(sep2.port, pki, pki.clients.stranger, 'GET', '/dcap');
    expect(answer.status).toBe(403);
    expect(answer.body).toContain(identityFromCertificate(pki.der(pki.clients.stranger.cert)).lfdi);
  });

  it('ETag and If-None-Match: the same representation answers 304', async () => {
    const first = await sep2Request(sep2.port, pki, pki.clients.utility, 'GET', '/edev?l=5');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await sep2Request(sep2.port, pki, pki.clients.utility, 'GET', '/edev?l=5', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const changed = await sep2Request(sep2.port, pki, pki.clients.utility, 'GET', '/edev?l=5', { headers: { 'If-None-Match': '"other"' } });
    expect(changed.status).toBe(200);
  });

  it('nothing secret reaches the log or ubus: not the key, the PIN or the broker password', async () => {
    const { clients } = await sep2.bus.client.call('smartgrid.sep2', 'clients', {}) as { clients: unknown[] };
    const visible = [sep2.output.join('\n'), JSON.stringify(clients), JSON.stringify(await sep2.status())].join('\n');
    expect(sep2.output.join('\n')).toMatch(/listening/);
    expect(visible).not.toContain(PIN);
    expect(visible).not.toContain(BROKER_PASSWORD);
    expect(visible).not.toContain(readFileSync(pki.server.key, 'utf8').split('\n')[1]);
    expect((await sep2Request(sep2.port, pki, pki.clients.utility, 'GET', '/edev/0/rg')).body).toContain(`<pIN>${PIN}</pIN>`);
  });
});
