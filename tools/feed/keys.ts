/** Where the feed's signing key comes from, and writing new key pairs to disk. */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fingerprintHex, generateKeyPair, parseSecretKey, renderPublicKey, renderSecretKey, type UsignSecretKey } from './usign.js';

export const DEFAULT_KEY_DIR = join(homedir(), '.config', 'smartgrid', 'usign');

export interface WrittenKeyPair {
  secretPath: string;
  publicPath: string;
  fingerprint: string;
}

/**
 * Writes `<dir>/smartgrid-feed.sec` (mode 0600) and `<dir>/smartgrid-feed.pub`, plus a copy of the
 * public key named by its fingerprint, as `/etc/opkg/keys/` wants it. Refuses to overwrite a key.
 */
export function writeNewKeyPair(dir: string, comment?: string): WrittenKeyPair {
  const secretPath = join(dir, 'smartgrid-feed.sec');
  const publicPath = join(dir, 'smartgrid-feed.pub');
  if (existsSync(secretPath)) throw new Error(`${secretPath} exists; refusing to overwrite a signing key`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = generateKeyPair(comment);
  writeFileSync(secretPath, renderSecretKey(pair.secret), { mode: 0o600 });
  chmodSync(secretPath, 0o600);
  const publicText = renderPublicKey(pair.public);
  writeFileSync(publicPath, publicText, { mode: 0o644 });
  const fingerprint = fingerprintHex(pair.public.fingerprint);
  writeFileSync(join(dir, fingerprint), publicText, { mode: 0o644 });
  return { secretPath, publicPath, fingerprint };
}

export interface SigningKey {
  key: UsignSecretKey;
  path: string;
  throwaway: boolean;
}

/**
 * The key named by `SMARTGRID_FEED_KEY`, or else a throw-away key kept in `throwawayDir` (created on
 * first use and reused, so repeated local builds keep one fingerprint).
 */
export function resolveSigningKey(env: NodeJS.ProcessEnv, throwawayDir: string): SigningKey {
  const configured = env.SMARTGRID_FEED_KEY;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`SMARTGRID_FEED_KEY=${configured}: no such file`);
    return { key: parseSecretKey(readFileSync(configured, 'utf8')), path: configured, throwaway: false };
  }
  const path = join(throwawayDir, 'smartgrid-feed.sec');
  if (!existsSync(path)) writeNewKeyPair(throwawayDir, 'smartgrid THROW-AWAY build key - not for production');
  return { key: parseSecretKey(readFileSync(path, 'utf8')), path, throwaway: true };
}
