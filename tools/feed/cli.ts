/**
 * Command line of the package tooling, bundled and run by scripts/make-ipk.mjs and
 * scripts/feed-keygen.mjs:
 *   make-ipk [--version V] [--release N] [--out DIR] [--only pkg,pkg]   the signed opkg feed (default build/feed/ipk)
 *   make-apk [--version V] [--release N] [--out DIR] [--only pkg,pkg]   the signed apk feed (default build/feed/apk)
 *   feed [--version V] [--release N] [--out DIR]                          both, and DIR/index.html (default build/feed)
 *   dist [--version V] [--out DIR]                                       the recipes' source tarball (default build/dist)
 *   stage --package NAME --dest DIR                                      files of one package
 *   keygen [--dir DIR] [--apk-dir DIR] [--comment TEXT]                  new usign and apk key pairs (apk: DIR/apk)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { apkKeyId } from './apk/sign.js';
import { buildApkFeed } from './apk-feed.js';
import { APK_PUBLIC_KEY_NAME, DEFAULT_APK_KEY_DIR, resolveApkSigningKey, writeNewApkKeyPair } from './apk-keys.js';
import { packageSpec } from './catalog.js';
import { buildDist } from './dist.js';
import { renderFeedPage } from './feed-page.js';
import { buildFeed } from './feed.js';
import { DEFAULT_KEY_DIR, resolveSigningKey, writeNewKeyPair } from './keys.js';
import { stagePackage } from './stage.js';

type Flags = Map<string, string>;

function parseFlags(args: readonly string[]): Flags {
  const flags: Flags = new Map();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
      flags.set(arg.slice(2), value);
      i += 1;
    }
  }
  return flags;
}

/** SOURCE_DATE_EPOCH, else the last commit's time, else 0: never the wall clock. */
export function sourceDateEpoch(repoRoot: string, env: NodeJS.ProcessEnv): number {
  if (env.SOURCE_DATE_EPOCH) {
    const value = Number(env.SOURCE_DATE_EPOCH);
    if (!Number.isInteger(value) || value < 0) throw new Error(`SOURCE_DATE_EPOCH=${env.SOURCE_DATE_EPOCH} is not a non-negative integer`);
    return value;
  }
  try {
    return Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()) || 0;
  } catch {
    return 0;
  }
}

interface BuildFlags { version: string; release: number; only?: string[] }

function buildFlags(repoRoot: string, flags: Flags): BuildFlags {
  return {
    version: flags.get('version') ?? (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version,
    release: Number(flags.get('release') ?? process.env.SMARTGRID_PKG_RELEASE ?? 1),
    only: flags.get('only')?.split(','),
  };
}

function throwawayWarning(what: string, variable: string, path: string, hint: string): void {
  const bar = '!'.repeat(78);
  process.stderr.write(
    `${bar}\n!! ${what}: ${variable} is not set, so the feed is signed with a THROW-AWAY key\n` +
      `!! (${path}). It is NOT for production: devices trusting it trust\n` +
      `!! anyone with this build tree. Create a real key with 'make feed-key' and set\n!! ${variable}=${hint}\n${bar}\n`,
  );
}

function makeIpk(repoRoot: string, build: BuildFlags, outDir: string) {
  const signing = resolveSigningKey(process.env, join(repoRoot, 'build', 'throwaway-key'));
  if (signing.throwaway) throwawayWarning('make ipk', 'SMARTGRID_FEED_KEY', signing.path, '~/.config/smartgrid/usign/smartgrid-feed.sec');
  const result = buildFeed({
    repoRoot,
    outDir,
    version: build.version,
    release: build.release,
    sourceDateEpoch: sourceDateEpoch(repoRoot, process.env),
    secretKey: signing.key,
    maintainer: process.env.SMARTGRID_MAINTAINER,
    only: build.only,
  });
  for (const pkg of result.packages) console.log(`${pkg.filename}\t${pkg.size} bytes`);
  console.log(`feed: ${outDir} (Packages, Packages.gz, Packages.sig; public key ${result.fingerprint})`);
  return result;
}

function makeApk(repoRoot: string, build: BuildFlags, outDir: string) {
  const signing = resolveApkSigningKey(process.env, join(repoRoot, 'build', 'throwaway-key', 'apk'));
  if (signing.throwaway) throwawayWarning('make apk', 'SMARTGRID_APK_KEY', signing.path, '~/.config/smartgrid/apk/private-key.pem');
  const result = buildApkFeed({
    repoRoot,
    outDir,
    version: build.version,
    release: build.release,
    sourceDateEpoch: sourceDateEpoch(repoRoot, process.env),
    privateKeyPem: signing.privateKeyPem,
    publicKeyPem: signing.publicKeyPem,
    maintainer: process.env.SMARTGRID_MAINTAINER,
    only: build.only,
  });
  for (const pkg of result.packages) console.log(`${pkg.filename}\t${pkg.size} bytes`);
  const keyId = apkKeyId(createPublicKey(signing.publicKeyPem)).toString('hex');
  console.log(`feed: ${outDir} (packages.adb signed by key id ${keyId}; public key ${result.keyFile})`);
  return { ...result, keyId };
}

function makeFeed(repoRoot: string, flags: Flags): void {
  const build = buildFlags(repoRoot, flags);
  const outDir = resolve(repoRoot, flags.get('out') ?? 'build/feed');
  const ipk = makeIpk(repoRoot, build, join(outDir, 'ipk'));
  const apk = makeApk(repoRoot, build, join(outDir, 'apk'));
  writeFileSync(join(outDir, 'index.html'), renderFeedPage({ version: build.version, ipk, apk }));
  console.log(`feed page: ${join(outDir, 'index.html')}`);
}

function makeDist(repoRoot: string, flags: Flags): void {
  const built = buildDist({ repoRoot, outDir: resolve(repoRoot, flags.get('out') ?? 'build/dist'), version: buildFlags(repoRoot, flags).version, sourceDateEpoch: sourceDateEpoch(repoRoot, process.env) });
  console.log(`${built.path}\tsha256 ${built.sha256}`);
  console.log('publish it at SMARTGRID_SOURCE_URL (package/release.mk) and copy build/dist/release.mk (PKG_HASH) to package/release.mk');
}

function stage(repoRoot: string, flags: Flags): void {
  const name = flags.get('package');
  const dest = flags.get('dest');
  if (!name || !dest) throw new Error('stage needs --package NAME --dest DIR');
  const staged = stagePackage(packageSpec(name), { repoRoot });
  for (const file of staged.files) {
    const target = join(resolve(dest), file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    chmodSync(target, file.mode);
  }
  console.log(`staged ${staged.files.length} files of ${name} into ${dest}`);
}

function keygen(flags: Flags): void {
  const dir = flags.get('dir');
  const written = writeNewKeyPair(resolve(dir ?? DEFAULT_KEY_DIR), flags.get('comment'));
  console.log(`usign secret key: ${written.secretPath} (keep it private; never commit it)`);
  console.log(`usign public key: ${written.publicPath}`);
  console.log(`fingerprint: ${written.fingerprint} -> install on devices as /etc/opkg/keys/${written.fingerprint}`);
  const apk = writeNewApkKeyPair(resolve(flags.get('apk-dir') ?? (dir ? join(dir, 'apk') : DEFAULT_APK_KEY_DIR)));
  console.log(`apk private key: ${apk.privatePath} (keep it private; never commit it)`);
  console.log(`apk public key: ${apk.publicPath} (key id ${apk.keyId}) -> install on devices as /etc/apk/keys/${APK_PUBLIC_KEY_NAME}`);
  console.log(`sign feeds with: SMARTGRID_FEED_KEY=${written.secretPath} SMARTGRID_APK_KEY=${apk.privatePath} make feed`);
}

export function main(argv: readonly string[], repoRoot: string): number {
  const [command, ...rest] = argv;
  try {
    const flags = parseFlags(rest);
    if (command === 'make-ipk') makeIpk(repoRoot, buildFlags(repoRoot, flags), resolve(repoRoot, flags.get('out') ?? 'build/feed/ipk'));
    else if (command === 'make-apk') makeApk(repoRoot, buildFlags(repoRoot, flags), resolve(repoRoot, flags.get('out') ?? 'build/feed/apk'));
    else if (command === 'feed') makeFeed(repoRoot, flags);
    else if (command === 'dist') makeDist(repoRoot, flags);
    else if (command === 'stage') stage(repoRoot, flags);
    else if (command === 'keygen') keygen(flags);
    else throw new Error(`unknown command '${command ?? ''}' (make-ipk, make-apk, feed, dist, stage, keygen)`);
    return 0;
  } catch (error) {
    process.stderr.write(`smartgrid-pkg ${command ?? ''}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
