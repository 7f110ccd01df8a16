/**
 * ECDSA P-256 signatures of ADB files as apk-tools v3 writes them (adb_trust_write_signatures): a SIG
 * block of sign_ver 0, hash_alg 4 (SHA-512), the 16-byte key id, then the DER signature over
 * le32(schema) || those 18 bytes || SHA-512(ADB block payload).
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const HASH_ALG_SHA512 = 4;
const KEY_ID_LENGTH = 16;
const SIGNATURE_HEADER = 2 + KEY_ID_LENGTH;

export class UntrustedSignatureError extends Error {
  constructor(what: string) {
    super(`${what}: UNTRUSTED signature`);
  }
}

/** The 65-byte uncompressed EC point (04 || X || Y) of a P-256 public key. */
export function ecPoint(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('apk keys are ECDSA P-256 (prime256v1)');
  }
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}

/** apk's key id: the first 16 bytes of SHA-512 over the EC point (not over the SPKI DER). */
export function apkKeyId(key: KeyObject): Buffer {
  return createHash('sha512').update(ecPoint(key)).digest().subarray(0, KEY_ID_LENGTH);
}

function signedMessage(schema: number, header: Buffer, adbPayload: Buffer): Buffer {
  const schemaBytes = Buffer.alloc(4);
  schemaBytes.writeUInt32LE(schema);
  return Buffer.concat([schemaBytes, header, createHash('sha512').update(adbPayload).digest()]);
}

/** The payload of one SIG block for `adbPayload` signed with `privateKeyPem`. */
export function signatureBlockPayload(schema: number, adbPayload: Buffer, privateKeyPem: string | Buffer): Buffer {
  const privateKey = createPrivateKey(privateKeyPem);
  const header = Buffer.concat([Buffer.from([0, HASH_ALG_SHA512]), apkKeyId(privateKey)]);
  const signature = sign('sha512', signedMessage(schema, header, adbPayload), privateKey);
  return Buffer.concat([header, signature]);
}

export interface TrustedKey {
  name: string;
  key: KeyObject;
  id: Buffer;
}

export function trustedKey(name: string, publicKeyPem: string | Buffer): TrustedKey {
  const key = createPublicKey(publicKeyPem);
  return { name, key, id: apkKeyId(key) };
}

/** The trusted key that made one of `signatures` over `adbPayload`, or undefined. */
export function findValidSignature(schema: number, adbPayload: Buffer, signatures: readonly Buffer[], keys: readonly TrustedKey[]): TrustedKey | undefined {
  for (const signature of signatures) {
    if (signature.length <= SIGNATURE_HEADER || signature[0] !== 0 || signature[1] !== HASH_ALG_SHA512) continue;
    const id = signature.subarray(2, SIGNATURE_HEADER);
    for (const candidate of keys) {
      if (!candidate.id.equals(id)) continue;
      const message = signedMessage(schema, signature.subarray(0, SIGNATURE_HEADER), adbPayload);
      if (verify('sha512', message, candidate.key, signature.subarray(SIGNATURE_HEADER))) return candidate;
    }
  }
  return undefined;
}
