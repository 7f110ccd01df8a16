import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

/** PEM material the server needs; the key is never logged nor put in an error message. */
export interface ServerCredentials {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
  /** For ubus status and the page: subject, issuer, validity, fingerprint of the server certificate. */
  summary: CertificateSummary;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  valid_from: string;
  valid_to: string;
  fingerprint256: string;
  curve: string;
}

export interface CredentialPaths {
  cert_file: string;
  key_file: string;
  ca_file: string;
}

export class CredentialError extends Error {}

async function readChecked(option: string, path: string, privateFile: boolean): Promise<Buffer> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new CredentialError(`${option} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (!info.isFile()) throw new CredentialError(`${option} ${path} is not a regular file`);
  if (privateFile && (info.mode & 0o077) !== 0) {
    throw new CredentialError(`${option} ${path} is readable by group or others (mode ${(info.mode & 0o777).toString(8)}); run chmod 600`);
  }
  if (!privateFile && (info.mode & 0o022) !== 0) {
    throw new CredentialError(`${option} ${path} is writable by group or others (mode ${(info.mode & 0o777).toString(8)})`);
  }
  return readFile(path);
}

function parseCertificate(option: string, path: string, pem: Buffer): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new CredentialError(`${option} ${path} is not a PEM certificate`);
  }
}

export function summarize(cert: X509Certificate): CertificateSummary {
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    valid_from: cert.validFrom,
    valid_to: cert.validTo,
    fingerprint256: cert.fingerprint256,
    curve: cert.publicKey.asymmetricKeyDetails?.namedCurve ?? cert.publicKey.asymmetricKeyType ?? 'unknown',
  };
}

/**
 * Loads the server certificate, its key and the CA that client certificates must chain to, and checks
 * what the profile requires: an ECC P-256 server certificate, a key that belongs to it and is not
 * readable by anyone but its owner.
 */
export async function loadServerCredentials(paths: CredentialPaths): Promise<ServerCredentials> {
  const [cert, key, ca] = await Promise.all([
    readChecked('cert_file', paths.cert_file, false),
    readChecked('key_file', paths.key_file, true),
    readChecked('ca_file', paths.ca_file, false),
  ]);
  const certificate = parseCertificate('cert_file', paths.cert_file, cert);
  parseCertificate('ca_file', paths.ca_file, ca);
  const curve = certificate.publicKey.asymmetricKeyDetails?.namedCurve;
  if (certificate.publicKey.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw new CredentialError(`cert_file ${paths.cert_file}: the server certificate must be ECC P-256 (found ${certificate.publicKey.asymmetricKeyType}${curve ? ` ${curve}` : ''})`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new CredentialError(`key_file ${paths.key_file} is not an unencrypted PEM private key`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new CredentialError(`key_file ${paths.key_file} does not belong to cert_file ${paths.cert_file}`);
  }
  return { cert, key, ca, summary: summarize(certificate) };
}
