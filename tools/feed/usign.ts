/**
 * usign-compatible Ed25519 keys and signatures (openwrt/usign), with node's crypto only.
 * Every file is `untrusted comment: <text>\n` + base64(binary struct) + `\n`:
 *   public key 42 bytes  = "Ed" | fingerprint[8] | public key[32]
 *   signature  74 bytes  = "Ed" | fingerprint[8] | signature[64]
 *   secret key 104 bytes = "Ed" | "BK" | kdfrounds u32 BE (0) | salt[16] | checksum[8] | fingerprint[8] | seed[32] | public key[32]
 * where checksum = SHA-512(seed | public key)[0..8]. The fingerprint is random, chosen at key generation.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface UsignPublicKey {
  comment: string;
  fingerprint: Buffer;
  publicKey: Buffer;
}

export interface UsignSecretKey extends UsignPublicKey {
  kdfRounds: number;
  salt: Buffer;
  checksum: Buffer;
  seed: Buffer;
}

export interface UsignSignature {
  comment: string;
  fingerprint: Buffer;
  signature: Buffer;
}

const COMMENT_PREFIX = 'untrusted comment: ';
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** `%016x` of the fingerprint read big-endian: the name of the key file in /etc/opkg/keys/. */
export function fingerprintHex(fingerprint: Buffer): string {
  return fingerprint.toString('hex');
}

function parseFile(text: string, kind: string, expectedLength: number): { comment: string; raw: Buffer } {
  const lines = text.split('\n');
  if (!lines[0]?.startsWith(COMMENT_PREFIX)) throw new Error(`${kind}: first line must start with '${COMMENT_PREFIX.trim()}'`);
  const raw = Buffer.from((lines[1] ?? '').trim(), 'base64');
  if (raw.length !== expectedLength) throw new Error(`${kind}: expected ${expectedLength} bytes, got ${raw.length}`);
  if (raw.subarray(0, 2).toString('latin1') !== 'Ed') throw new Error(`${kind}: unsupported algorithm '${raw.subarray(0, 2).toString('latin1')}'`);
  return { comment: lines[0].slice(COMMENT_PREFIX.length), raw };
}

function renderFile(comment: string, raw: Buffer): string {
  return `${COMMENT_PREFIX}${comment}\n${raw.toString('base64')}\n`;
}

export function parsePublicKey(text: string): UsignPublicKey {
  const { comment, raw } = parseFile(text, 'public key', 42);
  return { comment, fingerprint: raw.subarray(2, 10), publicKey: raw.subarray(10, 42) };
}

export function renderPublicKey(key: UsignPublicKey): string {
  return renderFile(key.comment, Buffer.concat([Buffer.from('Ed'), key.fingerprint, key.publicKey]));
}

function secretChecksum(seed: Buffer, publicKey: Buffer): Buffer {
  return createHash('sha512').update(Buffer.concat([seed, publicKey])).digest().subarray(0, 8);
}

export function parseSecretKey(text: string): UsignSecretKey {
  const { comment, raw } = parseFile(text, 'secret key', 104);
  if (raw.subarray(2, 4).toString('latin1') !== 'BK') throw new Error('secret key: unsupported KDF');
  const key: UsignSecretKey = {
    comment,
    kdfRounds: raw.readUInt32BE(4),
    salt: raw.subarray(8, 24),
    checksum: raw.subarray(24, 32),
    fingerprint: raw.subarray(32, 40),
    seed: raw.subarray(40, 72),
    publicKey: raw.subarray(72, 104),
  };
  if (key.kdfRounds !== 0) throw new Error('secret key: passphrase-protected keys (kdfrounds > 0) are not supported');
  if (!secretChecksum(key.seed, key.publicKey).equals(key.checksum)) throw new Error('secret key: checksum mismatch (corrupt key file)');
  return key;
}

export function renderSecretKey(key: UsignSecretKey): string {
  const rounds = Buffer.alloc(4);
  rounds.writeUInt32BE(key.kdfRounds);
  return renderFile(key.comment, Buffer.concat([Buffer.from('EdBK'), rounds, key.salt, key.checksum, key.fingerprint, key.seed, key.publicKey]));
}

export function parseSignature(text: string): UsignSignature {
  const { comment, raw } = parseFile(text, 'signature', 74);
  return { comment, fingerprint: raw.subarray(2, 10), signature: raw.subarray(10, 74) };
}

export function renderSignature(sig: UsignSignature): string {
  return renderFile(sig.comment, Buffer.concat([Buffer.from('Ed'), sig.fingerprint, sig.signature]));
}

function privateKeyObject(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(publicKey: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** `usign -G`: a fresh key pair; the comment defaults as usign's does. */
export function generateKeyPair(comment?: string): { secret: UsignSecretKey; public: UsignPublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const fingerprint = randomBytes(8);
  const fp = fingerprintHex(fingerprint);
  return {
    secret: {
      comment: comment ?? `private key ${fp}`,
      kdfRounds: 0,
      salt: randomBytes(16),
      checksum: secretChecksum(seed, pub),
      fingerprint,
      seed,
      publicKey: pub,
    },
    public: { comment: comment ?? `public key ${fp}`, fingerprint, publicKey: pub },
  };
}

/** `usign -S`: plain RFC 8032 Ed25519 over the raw bytes; deterministic. */
export function signMessage(message: Uint8Array, key: UsignSecretKey, comment?: string): UsignSignature {
  const signature = sign(null, message, privateKeyObject(key.seed));
  return { comment: comment ?? `signed by key ${fingerprintHex(key.fingerprint)}`, fingerprint: key.fingerprint, signature };
}

/** `usign -V -p`: like usign, the signature's fingerprint is not compared with the key's. */
export function verifyMessage(message: Uint8Array, sig: UsignSignature, key: UsignPublicKey): boolean {
  return verify(null, message, publicKeyObject(key.publicKey), sig.signature);
}

export type KeyDirReader = (path: string) => string | undefined;

/**
 * `usign -V -P <dir>` (what `opkg-key verify` runs): the key is `<dir>/<fingerprint>`.
 * Returns usign's stderr text: `OK`, `verification failed` or `Cannot open file '...' for reading`.
 */
export function verifyWithKeyDir(message: Uint8Array, sigText: string, keyDir: string, readKey: KeyDirReader): { ok: boolean; message: string } {
  const sig = parseSignature(sigText);
  const keyPath = `${keyDir}/${fingerprintHex(sig.fingerprint)}`;
  const keyText = readKey(keyPath);
  if (keyText === undefined) return { ok: false, message: `Cannot open file '${keyPath}' for reading` };
  const ok = verifyMessage(message, sig, parsePublicKey(keyText));
  return { ok, message: ok ? 'OK' : 'verification failed' };
}
