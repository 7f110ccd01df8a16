// One gateway's openwisp-config agent, following openwisp.agent's cycle: register (shared secret ->
// uuid/key), compare the controller's checksum with the last applied one, download, check the md5,
// back up, merge (merge.ts), reload what changed (openwisp-reload-config: a `config.change` for each
// package whose `uci show` changed, which procd turns into our services' reload, i.e. SIGHUP), run the
// test_script, restore the backup when it fails, and report `applied` or `error` with the test's output.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { readTar } from '../../../tools/feed/tar.js';
import { parseUciPackage } from '../../../src/lib/uci/parser.js';
import { renderUciCommit } from '../../../tools/feed/uci-render.js';
import type { UciPackage } from '../../../src/lib/uci/types.js';
import { emptyPackage, mergeRemote } from './merge.js';

const run = promisify(execFile);

export interface AgentOptions {
  name: string;
  url: string;
  sharedSecret: string;
  /** The gateway's filesystem root (etc/config, etc/openwisp). */
  root: string;
  /** What procd does on a smartgrid config.change: our init scripts' reload. */
  reloadServices: () => Promise<void>;
  /** The test_script and the environment it runs in (PATH with `ubus`). */
  testScript: string;
  testEnv: NodeJS.ProcessEnv;
}

export type CycleOutcome = 'unchanged' | 'applied' | 'error' | 'offline';

const toText = (pkg: UciPackage) => renderUciCommit(pkg.sections.map((s) => ({ type: s.type, name: s.name, options: [...s.options] })));

export class OpenWispAgent {
  uuid = '';
  key = '';
  lastError = '';
  private lastSeen: string | undefined;
  constructor(private readonly options: AgentOptions) {}

  private path(...parts: string[]): string { return join(this.options.root, ...parts); }

  private read(file: string, pkg: string): UciPackage | undefined {
    return existsSync(file) ? parseUciPackage(readFileSync(file), pkg) : undefined;
  }

  private write(file: string, text: string | Buffer): void {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }

  private async post(path: string, form: Record<string, string>): Promise<Response> {
    return fetch(`${this.options.url}${path}`, { method: 'POST', body: new URLSearchParams(form) });
  }

  private persistedChecksum(): string | undefined {
    const file = this.path('etc/openwisp/checksum');
    return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  }

  async register(): Promise<void> {
    const response = await this.post('/controller/register/', { backend: 'netjsonconfig.OpenWrt', secret: this.options.sharedSecret, name: this.options.name });
    const text = await response.text();
    if (response.status !== 201 || response.headers.get('x-openwisp-controller') !== 'true') throw new Error(`registration failed: ${response.status} ${text}`);
    this.uuid = /^uuid: (\S+)$/m.exec(text)![1]!;
    this.key = /^key: (\S+)$/m.exec(text)![1]!;
  }

  /** One pass of the agent loop. */
  async cycle(): Promise<CycleOutcome> {
    try {
      if (!this.uuid) await this.register();
      const remote = (await (await fetch(`${this.options.url}/controller/checksum/${this.uuid}/?key=${this.key}`)).text()).trim();
      // configuration_changed(): the checksum fetched last time (restored from the persistent one at
      // start-up) against the one fetched now; so after an error the same bad config is not retried,
      // and a fix on the controller (even back to the last applied config) is applied and reported.
      const previous = this.lastSeen ?? this.persistedChecksum();
      this.lastSeen = remote;
      if (previous === remote) return 'unchanged';
      const archive = Buffer.from(await (await fetch(`${this.options.url}/controller/download-config/${this.uuid}/?key=${this.key}`)).arrayBuffer());
      if (createHash('md5').update(archive).digest('hex') !== remote) return 'offline';
      return await this.apply(archive, remote);
    } catch (error) {
      if (error instanceof TypeError) return 'offline';
      throw error;
    }
  }

  /** Packages in the archive and those the previous apply brought (their options are withdrawn). */
  private packagesOf(archive: Buffer): Map<string, Buffer> {
    const packages = new Map<string, Buffer>();
    const remoteDir = this.path('etc/openwisp/remote/etc/config');
    if (existsSync(remoteDir)) for (const pkg of readdirSync(remoteDir)) packages.set(pkg, Buffer.alloc(0));
    for (const member of readTar(gunzipSync(archive))) {
      const pkg = /^(?:\.\/)?etc\/config\/([^/]+)$/.exec(member.path)?.[1];
      if (pkg) packages.set(pkg, member.content);
    }
    return packages;
  }

  /** Merges one package into /etc/config (a new file is created root-only); true when it changed. */
  private mergePackage(pkg: string, content: Buffer): boolean {
    const configFile = this.path('etc/config', pkg);
    const remoteFile = this.path('etc/openwisp/remote/etc/config', pkg);
    const storedFile = this.path('etc/openwisp/stored/etc/config', pkg);
    const current = this.read(configFile, pkg) ?? emptyPackage(pkg);
    const remote = parseUciPackage(content, pkg);
    const { merged, storeOriginal } = mergeRemote({ current, previousRemote: this.read(remoteFile, pkg), remote, stored: this.read(storedFile, pkg) });
    if (storeOriginal) this.write(storedFile, toText(storeOriginal));
    this.write(remoteFile, content);
    const mergedText = toText(merged);
    const before = existsSync(configFile) ? readFileSync(configFile, 'utf8') : undefined;
    if (before === undefined) writeFileSync(configFile, mergedText, { mode: 0o600 });
    else this.write(configFile, mergedText);
    return mergedText !== before;
  }

  private restore(backups: ReadonlyMap<string, Buffer | undefined>): void {
    for (const [file, content] of backups) {
      if (content === undefined) rmSync(file, { force: true });
      else this.write(file, content);
    }
  }

  private async apply(archive: Buffer, checksum: string): Promise<CycleOutcome> {
    const packages = this.packagesOf(archive);
    const backups = new Map<string, Buffer | undefined>();
    let changed = false;
    for (const [pkg, content] of packages) {
      const configFile = this.path('etc/config', pkg);
      backups.set(configFile, existsSync(configFile) ? readFileSync(configFile) : undefined);
      changed = this.mergePackage(pkg, content) || changed;
    }
    if (changed) await this.options.reloadServices();
    const test = await this.test();
    if (!test.ok) {
      this.restore(backups);
      await this.options.reloadServices();
      this.lastError = test.output;
      await this.post(`/controller/report-status/${this.uuid}/`, { key: this.key, status: 'error', error_reason: test.output });
      return 'error';
    }
    this.write(this.path('etc/openwisp/checksum'), `${checksum}\n`);
    await this.post(`/controller/report-status/${this.uuid}/`, { key: this.key, status: 'applied' });
    return 'applied';
  }

  private async test(): Promise<{ ok: boolean; output: string }> {
    try {
      const { stdout } = await run('sh', [this.options.testScript], { env: this.options.testEnv });
      return { ok: true, output: stdout };
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim() };
    }
  }
}
