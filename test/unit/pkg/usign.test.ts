import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fingerprintHex, generateKeyPair, parsePublicKey, parseSecretKey, parseSignature, renderPublicKey, renderSecretKey,
  renderSignature, signMessage, verifyMessage, verifyWithKeyDir,
} from '../../../tools/feed/usign.js';

const dir = join(__dirname, '../../../../shared/conformance/usign');
const read = (name: string) => readFileSync(join(dir, name));
const text = (name: string) => readFileSync(join(dir, name), 'utf8');
const formats = JSON.parse(text('formats.json')) as {
  secret_key: { fields: Record<string, string | number> };
  public_key: { fields: Record<string, string> };
  signature: { fields: Record<string, string> };
};
const runs = JSON.parse(text('runs.json')) as Array<{ argv: string[]; exit_code: number; stderr: string }>;
const run = (pred: (argv: string[]) => boolean) => runs.find((r) => pred(r.argv))!;

describe('usign key and signature files', () => {
  it('reads and writes the sample keys byte for byte', () => {
    const secret = parseSecretKey(text('test-key.sec'));
    expect(renderSecretKey(secret)).toBe(text('test-key.sec'));
    expect(renderPublicKey(parsePublicKey(text('test-key.pub')))).toBe(text('test-key.pub'));
    expect(renderPublicKey(parsePublicKey(text('other-key.pub')))).toBe(text('other-key.pub'));
    expect(secret.salt.toString('hex')).toBe(formats.secret_key.fields.salt);
    expect(secret.checksum.toString('hex')).toBe(formats.secret_key.fields.checksum);
    expect(secret.seed.toString('hex')).toBe(formats.secret_key.fields.seckey_seed_first32);
    expect(secret.kdfRounds).toBe(0);
  });

  it('prints the fingerprint as usign -F does, for key, secret key and signature', () => {
    const expected = run((a) => a.join(' ') === 'usign -F -p test-key.pub');
    const fp = fingerprintHex(parsePublicKey(text('test-key.pub')).fingerprint);
    expect(`${fp}\n`).toBe((expected as unknown as { stdout: string }).stdout);
    expect(fingerprintHex(parseSecretKey(text('test-key.sec')).fingerprint)).toBe(fp);
    expect(fingerprintHex(parseSignature(text('Packages.sig')).fingerprint)).toBe(fp);
  });

  it('signs Packages exactly as usign -S did (deterministic Ed25519)', () => {
    const secret = parseSecretKey(text('test-key.sec'));
    expect(renderSignature(signMessage(read('Packages'), secret))).toBe(text('Packages.sig'));
    expect(renderSignature(signMessage(read('Packages'), secret))).toBe(text('Packages.sig'));
    expect(parseSignature(text('Packages.sig')).signature.toString('hex')).toBe(formats.signature.fields.sig);
  });

  it('verifies good, tampered and wrong-key cases with the outcome usign -V had', () => {
    const sig = parseSignature(text('Packages.sig'));
    const good = run((a) => a.join(' ') === 'usign -V -m Packages -p test-key.pub');
    const tampered = run((a) => a.includes('Packages.tampered'));
    const wrong = run((a) => a.join(' ') === 'usign -V -m Packages -p other-key.pub');
    expect(verifyMessage(read('Packages'), sig, parsePublicKey(text('test-key.pub')))).toBe(good.exit_code === 0);
    expect(verifyMessage(read('Packages.tampered'), sig, parsePublicKey(text('test-key.pub')))).toBe(tampered.exit_code === 0);
    expect(verifyMessage(read('Packages'), sig, parsePublicKey(text('other-key.pub')))).toBe(wrong.exit_code === 0);
    expect(good.exit_code).toBe(0);
    expect(tampered.exit_code).toBe(1);
  });

  it('looks keys up by fingerprint in a key directory like usign -P (opkg-key verify)', () => {
    const keys = new Map([['keys/bc972c9c91692902', text('test-key.pub')]]);
    const lookup = (path: string) => keys.get(path);
    const ok = verifyWithKeyDir(read('Packages'), text('Packages.sig'), 'keys', lookup);
    expect(`${ok.message}\n`).toBe(run((a) => a.join(' ') === 'usign -V -m Packages -P keys').stderr);
    const missing = verifyWithKeyDir(read('Packages'), text('Packages.sig'), 'emptykeys', lookup);
    expect(missing.ok).toBe(false);
    expect(`${missing.message}\n`).toBe(run((a) => a.includes('emptykeys')).stderr);
    const bad = verifyWithKeyDir(read('Packages.tampered'), text('Packages.sig'), 'keys', lookup);
    expect(`${bad.message}\n`).toBe(run((a) => a.includes('Packages.tampered')).stderr);
  });

  it('generates key pairs usign can read: valid checksum, kdfrounds 0, usable for signing', () => {
    const pair = generateKeyPair();
    const secretText = renderSecretKey(pair.secret);
    const parsed = parseSecretKey(secretText);
    expect(parsed.comment).toBe(`private key ${fingerprintHex(pair.secret.fingerprint)}`);
    expect(Buffer.from(secretText.split('\n')[1]!, 'base64')).toHaveLength(104);
    expect(Buffer.from(renderPublicKey(pair.public).split('\n')[1]!, 'base64')).toHaveLength(42);
    const message = Buffer.from('Package: x\n');
    const sig = signMessage(message, parsed);
    expect(verifyMessage(message, sig, parsePublicKey(renderPublicKey(pair.public)))).toBe(true);
    expect(verifyMessage(message, sig, parsePublicKey(text('test-key.pub')))).toBe(false);
  });

  it('rejects a corrupted secret key and foreign formats', () => {
    const lines = text('test-key.sec').split('\n');
    const raw = Buffer.from(lines[1]!, 'base64');
    raw[50] = (raw[50]! + 1) % 256;
    expect(() => parseSecretKey(`${lines[0]}\n${raw.toString('base64')}\n`)).toThrow(/checksum/);
    expect(() => parsePublicKey('hello\nRWS8\n')).toThrow(/untrusted comment/);
    expect(() => parseSignature(text('test-key.pub'))).toThrow(/74 bytes/);
  });
});
