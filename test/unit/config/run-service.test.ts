import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = mkdtempSync(join(tmpdir(), 'run-service-'));
const bundle = join(root, 'tiny.cjs');
const children: ChildProcess[] = [];

beforeAll(async () => {
  await build({
    entryPoints: [join(__dirname, 'fixtures', 'tiny-service.ts')],
    outfile: bundle, bundle: true, platform: 'node', target: 'node18', format: 'cjs', logLevel: 'warning',
  });
}, 60_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

interface Tiny { child: ChildProcess; output: () => string; waitFor: (pattern: RegExp, after?: number) => Promise<string> }

function startTiny(configText: string): Tiny {
  const dir = mkdtempSync(join(root, 'cfg-'));
  writeFileSync(join(dir, 'smartgrid'), configText);
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, SMARTGRID_UCI_DIR: dir, SMARTGRID_UBUS_SOCKET: join(dir, 'no-ubusd.sock') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  const waitFor = (pattern: RegExp, after = 0) => new Promise<string>((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const match = pattern.exec(text.slice(after));
      if (match) return resolve(match[0]);
      if (Date.now() - started > 15_000) return reject(new Error(`timed out waiting for ${pattern}; output:\n${text}`));
      setTimeout(check, 25);
    };
    check();
  });
  (child as ChildProcess & { configDir: string }).configDir = dir;
  return { child, output: () => text, waitFor };
}

async function status(tiny: Tiny): Promise<Record<string, unknown>> {
  const from = tiny.output().length;
  tiny.child.kill('SIGUSR2');
  const line = await tiny.waitFor(/STATUS .*\n/, from);
  return JSON.parse(line.slice(7)) as Record<string, unknown>;
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => {
  if (child.exitCode !== null) resolve(child.exitCode);
  else child.on('exit', (code) => resolve(code));
});

describe('runService in a child process', () => {
  it('keeps the last good config on a corrupted SIGHUP reload, applies log_level, and drains on SIGTERM', async () => {
    const tiny = startTiny("config tiny 'tiny'\n\toption interval '5'\n\toption token 'supersecret-token'\n");
    await tiny.waitFor(/READY/);
    expect(await status(tiny)).toMatchObject({ state: 'running', interval: 5 });
    const dir = (tiny.child as ChildProcess & { configDir: string }).configDir;

    writeFileSync(join(dir, 'smartgrid'), "config tiny 'tiny'\n\toption interval '500'\n\toption token 'supersecret-token'\n");
    let from = tiny.output().length;
    tiny.child.kill('SIGHUP');
    await tiny.waitFor(/smartgrid\.tiny\.interval: value '500' is above the maximum 100/, from);
    expect(await status(tiny)).toMatchObject({ state: 'running', interval: 5 });

    writeFileSync(join(dir, 'smartgrid'), "config tiny 'tiny'\n\toption interval '7'\n\toption log_level 'debug'\n\toption token 'supersecret-token'\n");
    from = tiny.output().length;
    tiny.child.kill('SIGHUP');
    await tiny.waitFor(/tiny reloaded with interval 7/, from);
    expect(await status(tiny)).toMatchObject({ state: 'running', interval: 7 });

    const before = Date.now();
    tiny.child.kill('SIGTERM');
    expect(await exited(tiny.child)).toBe(0);
    expect(Date.now() - before).toBeLessThan(5000);
    expect(tiny.output()).toContain('tiny drained');
    expect(tiny.output()).not.toContain('supersecret-token');
    expect(tiny.output()).toMatch(/cannot connect to ubusd/);
  }, 40_000);

  it('starts into config-error with a bad value and stays up until fixed', async () => {
    const tiny = startTiny("config tiny 'tiny'\n\toption interval 'abc'\n");
    await tiny.waitFor(/READY/);
    const reply = await status(tiny);
    expect(reply.state).toBe('config-error');
    expect(JSON.stringify(reply.config_errors)).toContain("smartgrid.tiny.interval: value 'abc' is not an integer");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tiny.child.exitCode).toBeNull();

    const dir = (tiny.child as ChildProcess & { configDir: string }).configDir;
    writeFileSync(join(dir, 'smartgrid'), "config tiny 'tiny'\n\toption interval '3'\n");
    const from = tiny.output().length;
    tiny.child.kill('SIGHUP');
    await tiny.waitFor(/started/, from);
    expect(await status(tiny)).toMatchObject({ state: 'running', interval: 3 });
    tiny.child.kill('SIGTERM');
    expect(await exited(tiny.child)).toBe(0);
    expect(tiny.output().match(/cannot connect to ubusd/g)?.length).toBe(1);
  }, 40_000);
});
