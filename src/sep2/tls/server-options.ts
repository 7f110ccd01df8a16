import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { ServerCredentials } from './credentials.js';

/** The one suite IEEE 2030.5 mandates: TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8. */
export const PROFILE_CIPHER = 'ECDHE-ECDSA-AES128-CCM8';

/**
 * TLS 1.2 only, the configured suites (the profile's by default), P-256 key exchange and a client
 * certificate that must chain to the configured CA: a handshake without one, or with one from another
 * CA, fails before any HTTP is read.
 */
export function profileTlsOptions(credentials: ServerCredentials, ciphers: readonly string[]): TlsOptions & SecureContextOptions {
  return {
    cert: credentials.cert,
    key: credentials.key,
    ca: credentials.ca,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    ciphers: ciphers.join(':'),
    honorCipherOrder: true,
    ecdhCurve: 'P-256',
    requestCert: true,
    rejectUnauthorized: true,
  };
}
