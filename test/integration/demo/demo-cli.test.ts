// `make demo` as a user runs it: the real CLI, its state folder, a second start in the same checkout,
// and the service processes with the node flags their init scripts use.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGES } from '../../../tools/feed/catalog.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const DEMO = join(REPO, 'scripts/demo.mjs');

function commandLines(): string[][] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    try { return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)]; } catch { return []; }
  });
}

describe('the demo CLI (make demo)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-demo-cli-'));
  const env = { ...process.env, DEMO_DIR: dir, DEMO_PORT: '0' };
  let first: ChildProcess;
  let output = '';

  beforeAll(async () => {
    first = spawn(process.execPath, [DEMO], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    first.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    first.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    await new Promise<void>((resolve, reject) => {
      first.stdout!.on('data', () => { if (output.includes('Stop with Ctrl-C')) resolve(); });
      first.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${output}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (first && first.exitCode === null) {
      const exited = new Promise((resolve) => first.once('exit', resolve));
      first.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers on its port with the printed root password', async () => {
    const url = /LuCI:\s+(\S+)\/cgi-bin\/luci\//.exec(output)![1]!;
    const password = /Login:\s+root \/ (\S+)/.exec(output)![1]!;
    const reply = await fetch(`${url}/ubus`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: ['00000000000000000000000000000000', 'session', 'login', { username: 'root', password }] }),
    }).then((response) => response.json()) as { result: [number, { ubus_rpc_session?: string }] };
    expect(reply.result[0]).toBe(0);
    expect(reply.result[1].ubus_rpc_session).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a second start in the same checkout refuses and leaves the first one working', async () => {
    const second = spawnSync(process.execPath, [DEMO], { env, encoding: 'utf8', timeout: 60_000 });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('a demo is already running from this checkout');
    expect(JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')).pid).toBe(first.pid);
    const status = spawnSync(process.execPath, [DEMO, 'status'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(status.status, status.stderr).toBe(0);
  });

  it('keeps its configuration where the README says and runs each bundle with its init script flags', () => {
    expect(readFileSync(join(dir, 'root/etc/config/smartgrid'), 'utf8')).toContain("config telemetry 'telemetry'");
    const lines = commandLines();
    for (const spec of PACKAGES) {
      if (!spec.service) continue;
      const bundle = join(dir, 'root/usr/lib/smartgrid', `smartgrid-${spec.service.name}.js`);
      const process = lines.find((argv) => argv.includes(bundle));
      expect(process, `${bundle} running`).toBeDefined();
      expect(process!.slice(1, process!.indexOf(bundle))).toEqual([...spec.service.nodeFlags]);
    }
  });
});
