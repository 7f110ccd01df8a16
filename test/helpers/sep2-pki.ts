// Certificates for the IEEE 2030.5 tests, made with the openssl CLI: a CA, the server's ECC P-256
// certificate, client certificates per role, one the CA did not sign and an RSA server certificate.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from './tools.js';

export interface Pem { cert: string; key: string }

export interface Sep2Pki {
  dir: string;
  ca: string;
  server: Pem;
  rsaServer: Pem;
  clients: { utility: Pem; customer: Pem; device: Pem; stranger: Pem };
  /** Signed by a CA the server does not trust. */
  foreign: Pem;
  /** The DER bytes of a PEM certificate file, as `openssl x509 -outform DER` writes them. */
  der(certFile: string): Buffer;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): Buffer {
  requireTool('openssl');
  return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

function makeCa(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', ...EC, '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

function makeLeaf(dir: string, name: string, ca: string, usage: 'serverAuth' | 'clientAuth', keyArgs = EC): Pem {
  const ext = usage === 'serverAuth' ? 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' : 'extendedKeyUsage=clientAuth\n';
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, ['req', '-new', ...keyArgs, '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2',
    '-out', `${name}.crt`, '-extfile', `${name}.ext`]);
  chmodSync(join(dir, `${name}.key`), 0o600);
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

export function makeSep2Pki(): Sep2Pki {
  const dir = mkdtempSync(join(tmpdir(), 'sg-sep2-pki-'));
  makeCa(dir, 'sep2-ca');
  makeCa(dir, 'foreign-ca');
  return {
    dir,
    ca: join(dir, 'sep2-ca.crt'),
    server: makeLeaf(dir, 'server', 'sep2-ca', 'serverAuth'),
    rsaServer: makeLeaf(dir, 'rsa-server', 'sep2-ca', 'serverAuth', ['-newkey', 'rsa:2048']),
    clients: {
      utility: makeLeaf(dir, 'utility', 'sep2-ca', 'clientAuth'),
      customer: makeLeaf(dir, 'customer', 'sep2-ca', 'clientAuth'),
      device: makeLeaf(dir, 'device', 'sep2-ca', 'clientAuth'),
      stranger: makeLeaf(dir, 'stranger', 'sep2-ca', 'clientAuth'),
    },
    foreign: makeLeaf(dir, 'foreign', 'foreign-ca', 'clientAuth'),
    der: (certFile) => openssl(dir, ['x509', '-in', certFile, '-outform', 'DER']),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** LFDI as the openssl CLI computes it: `openssl x509 -outform DER | openssl dgst -sha256`, first 40 hex digits. */
export function opensslLfdi(pki: Sep2Pki, certFile: string): string {
  const der = pki.der(certFile);
  const derFile = `${certFile}.der`;
  writeFileSync(derFile, der);
  const digest = openssl(pki.dir, ['dgst', '-sha256', '-r', derFile]).toString().split(' ')[0];
  return digest.slice(0, 40).toUpperCase();
}

export function readPem(file: string): Buffer {
  return readFileSync(file);
}
