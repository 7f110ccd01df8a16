import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files made with the openssl CLI: a CA, a server and a client cert it signed, and an unrelated CA. */
export interface TestCerts {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here: trusting only it must make verification fail. */
  wrongCaCert: string;
  /** A client cert signed by the wrong CA (mTLS must refuse it). */
  wrongClientCert: string;
  wrongClientKey: string;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}

function makeLeaf(dir: string, name: string, ca: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`,
    '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2',
    '-out', `${name}.crt`, '-extfile', `${name}.ext`], dir);
}

export function generateCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'sg-certs-'));
  makeCa(dir, 'test-ca');
  makeCa(dir, 'wrong-ca');
  makeLeaf(dir, 'server', 'test-ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  makeLeaf(dir, 'client', 'test-ca', 'extendedKeyUsage=clientAuth\n');
  makeLeaf(dir, 'wrong-client', 'wrong-ca', 'extendedKeyUsage=clientAuth\n');
  const p = (file: string) => join(dir, file);
  return {
    dir,
    caCert: p('test-ca.crt'), caKey: p('test-ca.key'),
    serverCert: p('server.crt'), serverKey: p('server.key'),
    clientCert: p('client.crt'), clientKey: p('client.key'),
    wrongCaCert: p('wrong-ca.crt'),
    wrongClientCert: p('wrong-client.crt'), wrongClientKey: p('wrong-client.key'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
