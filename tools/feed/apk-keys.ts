/**
 * The apk feed's ECDSA P-256 key pair, laid out as OpenWrt 25.12 makes it (`openssl ecparam -name
 * prime256v1 -genkey -noout` / `openssl ec -pubout`): a SEC1 private key PEM and an SPKI public key
 * PEM, which devices trust as /etc/apk/keys/<name>.pem.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { apkKeyId } from './apk/sign.js';

export const DEFAULT_APK_KEY_DIR = join(homedir(), '.config', 'smartgrid', 'apk');
/** The public key's file name in the feed and on the device (/etc/apk/keys/). */
export const APK_PUBLIC_KEY_NAME = 'smartgrid-feed.pem';
const PRIVATE_KEY_NAME = 'private-key.pem';

export interface ApkKeyPair {
  privatePath: string;
  publicPath: string;
  keyId: string;
}

export function writeNewApkKeyPair(dir: string): ApkKeyPair {
  const privatePath = join(dir, PRIVATE_KEY_NAME);
  const publicPath = join(dir, APK_PUBLIC_KEY_NAME);
  if (existsSync(privatePath)) throw new Error(`${privatePath} exists; refusing to overwrite a signing key`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  writeFileSync(privatePath, privateKey.export({ type: 'sec1', format: 'pem' }), { mode: 0o600 });
  chmodSync(privatePath, 0o600);
  writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return { privatePath, publicPath, keyId: apkKeyId(publicKey).toString('hex') };
}

export interface ApkSigningKey {
  privateKeyPem: string;
  publicKeyPem: string;
  path: string;
  throwaway: boolean;
}

/** `SMARTGRID_APK_KEY` (a private key PEM), or a throw-away pair kept in `throwawayDir`. */
export function resolveApkSigningKey(env: NodeJS.ProcessEnv, throwawayDir: string): ApkSigningKey {
  const configured = env.SMARTGRID_APK_KEY;
  const path = configured ?? join(throwawayDir, PRIVATE_KEY_NAME);
  if (configured && !existsSync(configured)) throw new Error(`SMARTGRID_APK_KEY=${configured}: no such file`);
  if (!configured && !existsSync(path)) writeNewApkKeyPair(throwawayDir);
  const privateKeyPem = readFileSync(path, 'utf8');
  let privateKey;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new Error(`${path}: not a PEM private key (${(error as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${path}: apk feeds are signed with ECDSA P-256 (prime256v1) keys`);
  }
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKeyPem, publicKeyPem, path, throwaway: !configured };
}
