/**
 * Command line of the package tooling, bundled and run by scripts/make-ipk.mjs and
 * scripts/feed-keygen.mjs:
 *   make-ipk [--version V] [--release N] [--out DIR] [--only pkg,pkg]   build the signed feed
 *   stage --package NAME --dest DIR                                      files of one package (for package/*\/Makefile)
 *   keygen [--dir DIR] [--comment TEXT]                                  new usign key pair
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { packageSpec } from './catalog.js';
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

function makeIpk(repoRoot: string, flags: Flags): void {
  const version = flags.get('version') ?? (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const release = Number(flags.get('release') ?? process.env.SMARTGRID_PKG_RELEASE ?? 1);
  const outDir = resolve(repoRoot, flags.get('out') ?? 'build/feed');
  const signing = resolveSigningKey(process.env, join(repoRoot, 'build', 'throwaway-key'));
  if (signing.throwaway) {
    const bar = '!'.repeat(78);
    process.stderr.write(
      `${bar}\n!! make ipk: SMARTGRID_FEED_KEY is not set, so the feed is signed with a THROW-AWAY key\n` +
        `!! (${signing.path}). It is NOT for production: devices trusting it trust\n` +
        `!! anyone with this build tree. Create a real key with 'make feed-key' and set\n` +
        `!! SMARTGRID_FEED_KEY=~/.config/smartgrid/usign/smartgrid-feed.sec\n${bar}\n`,
    );
  }
  const result = buildFeed({
    repoRoot,
    outDir,
    version,
    release,
    sourceDateEpoch: sourceDateEpoch(repoRoot, process.env),
    secretKey: signing.key,
    maintainer: process.env.SMARTGRID_MAINTAINER,
    only: flags.get('only')?.split(','),
  });
  for (const pkg of result.packages) console.log(`${pkg.filename}\t${pkg.size} bytes`);
  console.log(`feed: ${outDir} (Packages, Packages.gz, Packages.sig; public key ${result.fingerprint})`);
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
  const written = writeNewKeyPair(resolve(flags.get('dir') ?? DEFAULT_KEY_DIR), flags.get('comment'));
  console.log(`secret key: ${written.secretPath} (keep it private; never commit it)`);
  console.log(`public key: ${written.publicPath}`);
  console.log(`fingerprint: ${written.fingerprint} -> install on devices as /etc/opkg/keys/${written.fingerprint}`);
  console.log(`sign feeds with: SMARTGRID_FEED_KEY=${written.secretPath} make ipk`);
}

export function main(argv: readonly string[], repoRoot: string): number {
  const [command, ...rest] = argv;
  try {
    const flags = parseFlags(rest);
    if (command === 'make-ipk') makeIpk(repoRoot, flags);
    else if (command === 'stage') stage(repoRoot, flags);
    else if (command === 'keygen') keygen(flags);
    else throw new Error(`unknown command '${command ?? ''}' (make-ipk, stage, keygen)`);
    return 0;
  } catch (error) {
    process.stderr.write(`smartgrid-pkg ${command ?? ''}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
