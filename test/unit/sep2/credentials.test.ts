import { chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerCredentials } from '../../../src/sep2/tls/credentials.js';
import { makeSep2Pki, type Sep2Pki } from '../../helpers/sep2-pki.js';

describe('server certificate, key and CA from UCI paths', () => {
  let pki: Sep2Pki;
  beforeAll(() => { pki = makeSep2Pki(); });
  afterAll(() => pki.cleanup());

  it('loads an ECC P-256 certificate with its private key and summarises it without the key', async () => {
    const credentials = await loadServerCredentials({ cert_file: pki.server.cert, key_file: pki.server.key, ca_file: pki.ca });
    expect(credentials.summary).toMatchObject({ subject: 'CN=server', issuer: 'CN=sep2-ca', curve: 'prime256v1' });
    expect(JSON.stringify(credentials.summary)).not.toContain('PRIVATE KEY');
  });

  it('refuses an RSA server certificate', async () => {
    await expect(loadServerCredentials({ cert_file: pki.rsaServer.cert, key_file: pki.rsaServer.key, ca_file: pki.ca }))
      .rejects.toThrow(/must be ECC P-256 \(found rsa\)/);
  });

  it('refuses a key readable by group or others, naming the file and the fix, never its content', async () => {
    const loose = join(pki.dir, 'loose.key');
    copyFileSync(pki.server.key, loose);
    chmodSync(loose, 0o644);
    const failure = loadServerCredentials({ cert_file: pki.server.cert, key_file: loose, ca_file: pki.ca });
    await expect(failure).rejects.toThrow(`key_file ${loose} is readable by group or others (mode 644); run chmod 600`);
  });

  it('refuses a key of another certificate, a missing file and a CA file that is not a certificate', async () => {
    await expect(loadServerCredentials({ cert_file: pki.server.cert, key_file: pki.clients.device.key, ca_file: pki.ca }))
      .rejects.toThrow(/does not belong to cert_file/);
    await expect(loadServerCredentials({ cert_file: pki.server.cert, key_file: pki.server.key, ca_file: join(pki.dir, 'missing.crt') }))
      .rejects.toThrow(/ca_file .*missing\.crt: ENOENT/);
    await expect(loadServerCredentials({ cert_file: pki.server.cert, key_file: pki.server.key, ca_file: pki.server.key }))
      .rejects.toThrow(/ca_file .* is not a PEM certificate/);
  });
});
