// The placeholder bundle (smartgrid-halow) starts, publish smartgrid.<svc> on
// ubus, answer status with state "not-implemented" and exit cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../../../tools/feed/catalog.js';
import { defaultSections, renderUciCommit } from '../../../tools/feed/uci-render.js';
import { startTestUbus, waitUntil, type TestUbus } from '../../helpers/ubus.js';
import { ensureBundles, repoRoot } from './feed-build.js';

const work = mkdtempSync(join(tmpdir(), 'sg-placeholder-'));
let bus: TestUbus;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ensureBundles();
  writeFileSync(join(work, 'smartgrid'), renderUciCommit(defaultSections(SERVICES, new Map())));
  bus = await startTestUbus();
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await bus?.stop();
  rmSync(work, { recursive: true, force: true });
});

for (const service of ['halow']) {
  describe(`smartgrid-${service} placeholder bundle`, () => {
    it('publishes its ubus object, reports not-implemented and stops on SIGTERM', async () => {
      // As on the device: /usr/lib/smartgrid has no package.json, so the CommonJS bundle is not
      // mistaken for an ES module (the repository's package.json says "type": "module").
      const bundle = join(work, `smartgrid-${service}.js`);
      copyFileSync(join(repoRoot, 'build', 'bundles', `smartgrid-${service}.js`), bundle);
      const child = spawn(process.execPath, [bundle], {
        env: { ...process.env, SMARTGRID_UBUS_SOCKET: bus.socketPath, SMARTGRID_UCI_DIR: work },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      let status: Record<string, unknown> = {};
      await waitUntil(async () => {
        status = await bus.client.call(`smartgrid.${service}`, 'status').catch(() => ({})) as Record<string, unknown>;
        return Object.keys(status).length > 0;
      }, 15_000, `smartgrid.${service} on ubus`);
      expect(status.state).toBe('not-implemented');
      expect(status.service).toBe(service);
      expect(String(status.message)).toContain('not implemented');
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('not implemented yet');
    }, 30_000);
  });
}
