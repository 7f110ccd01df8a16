import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDigit, hasValidCheckDigit, identityFromCertificate, identityFromFingerprint, sfdiFromLfdi,
} from '../../../src/sep2/tls/lfdi.js';
import { makeSep2Pki, opensslLfdi, type Sep2Pki } from '../../helpers/sep2-pki.js';

describe('LFDI and SFDI (IEEE 2030.5 §6.3.3-6.3.4)', () => {
  it('derives the standard\'s worked example from its fingerprint', () => {
    const fingerprint = Buffer.from('3E4F45AB31EDFE5B67E343E5E4562E31984E23E5349E2AD745672ED145EE213A', 'hex');
    expect(identityFromFingerprint(fingerprint)).toEqual({ lfdi: '3E4F45AB31EDFE5B67E343E5E4562E31984E23E5', sfdi: 167261211391 });
  });

  it('check digit makes the digit sum a multiple of 10', () => {
    expect(checkDigit(16726121139)).toBe(1);
    expect(checkDigit(0)).toBe(0);
    expect(checkDigit(19)).toBe(0);
    expect(checkDigit(5)).toBe(5);
    expect(hasValidCheckDigit(167261211391)).toBe(true);
    expect(hasValidCheckDigit(167261211392)).toBe(false);
    expect(hasValidCheckDigit(123455)).toBe(true);
  });

  it('SFDI of an LFDI alone equals the one from the fingerprint', () => {
    expect(sfdiFromLfdi('3E4F45AB31EDFE5B67E343E5E4562E31984E23E5')).toBe(167261211391);
    expect(() => sfdiFromLfdi('3E4F')).toThrow(/40 hex digits/);
  });

  describe('on certificates made by openssl', () => {
    let pki: Sep2Pki;
    beforeAll(() => { pki = makeSep2Pki(); });
    afterAll(() => pki.cleanup());

    it('hashes the whole DER certificate with SHA-256 (as openssl dgst does), not SHA-1 or the key', () => {
      for (const pem of [pki.clients.utility, pki.clients.device, pki.server]) {
        const identity = identityFromCertificate(pki.der(pem.cert));
        expect(identity.lfdi).toBe(opensslLfdi(pki, pem.cert));
        expect(identity.lfdi).toMatch(/^[0-9A-F]{40}$/);
        expect(hasValidCheckDigit(identity.sfdi)).toBe(true);
        expect(identity.sfdi).toBe(sfdiFromLfdi(identity.lfdi));
        expect(identity.sfdi).toBeLessThanOrEqual(687194767359);
      }
    });
  });
});
