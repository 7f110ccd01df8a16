import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lteSchema } from '../../../src/lib/config/schemas/index.js';
import { schemaDefaults } from '../../../src/lib/config/validate.js';
import { MetricsRegistry } from '../../../src/lib/metrics.js';
import type { PublishedObject, Ubus } from '../../../src/lib/ubus/types.js';
import type { LteConfig } from '../../../src/lte/config.js';
import { LteService } from '../../../src/lte/service.js';
import { FakeClock, ScriptedRunner, tempDir, testLogger } from './helpers.js';

const fsEvents: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      await actual.rename(from, to);
      fsEvents.push(`rename ${from.split('/').pop()} ${to.split('/').pop()}`);
    },
    open: async (path: string, ...rest: Parameters<typeof actual.open> extends [unknown, ...infer R] ? R : never) => {
      const handle = await actual.open(path, ...rest);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => { await sync(); fsEvents.push(`fsync ${path.split('/').pop()}`); };
      return handle;
    },
  };
});

const { readStateFile, writeStateFile } = await import('../../../src/lte/state-file.js');

const isRecord = (value: unknown): value is { n: number } => typeof (value as { n?: unknown })?.n === 'number';

let cleanup: (() => void) | undefined;
afterEach(() => { cleanup?.(); cleanup = undefined; fsEvents.length = 0; });

describe('state files', () => {
  it('write, fsync, keep the previous copy, rename, fsync the directory', async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const file = join(temp.dir, 'lte', 'ladder.json');
    await writeStateFile(file, { n: 1 });
    fsEvents.length = 0;
    await writeStateFile(file, { n: 2 });
    expect(fsEvents).toEqual(['fsync ladder.json.tmp', 'rename ladder.json ladder.json.prev', 'rename ladder.json.tmp ladder.json', 'fsync lte']);
    expect(readdirSync(join(temp.dir, 'lte')).sort()).toEqual(['ladder.json', 'ladder.json.prev']);
    expect(await readStateFile(file, isRecord)).toEqual({ kind: 'ok', value: { n: 2 }, from: 'current' });
  });

  it('reads the previous copy when the file is damaged or gone, and says so', async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const file = join(temp.dir, 'ladder.json');
    await writeStateFile(file, { n: 1 });
    await writeStateFile(file, { n: 2 });
    writeFileSync(file, '{"n": 2, "trunc');
    const read = await readStateFile(file, isRecord);
    expect(read).toMatchObject({ kind: 'ok', value: { n: 1 }, from: 'previous' });
    expect(read.kind === 'ok' && read.problem).toMatch(/ladder\.json: /);
    writeFileSync(`${file}.prev`, 'garbage');
    expect(await readStateFile(file, isRecord)).toMatchObject({ kind: 'damaged' });
    expect(await readStateFile(join(temp.dir, 'none.json'), isRecord)).toEqual({ kind: 'missing' });
  });
});

describe('a damaged ladder.json does not reset the reboot history', () => {
  const ubus: Ubus = {
    call: async () => ({}), lookup: async () => [], listen: async () => ({ unsubscribe: async () => undefined }),
    send: async () => undefined, subscribe: async () => ({ unsubscribe: async () => undefined }),
    publish: async (path) => ({ path, id: 1, notify: async () => undefined, remove: async () => undefined }) as PublishedObject,
    close: async () => undefined,
  };

  async function manualReboot(seed: (stateDir: string) => void, onRun: (line: string) => void = () => undefined): Promise<{ runner: ScriptedRunner; outcome: unknown; lines: string[]; stateDir: string }> {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const config: LteConfig = { ...schemaDefaults<LteConfig>(lteSchema), enabled: false, reboot_enabled: true };
    const stateDir = join(temp.dir, config.state_dir);
    mkdirSync(stateDir, { recursive: true });
    seed(stateDir);
    const runner = new ScriptedRunner((line) => { onRun(line); return {}; });
    const { log, lines } = testLogger();
    const service = new LteService({ log, metrics: new MetricsRegistry(), ubus, config, emit: () => undefined }, { runner, clock: new FakeClock(), stateRoot: temp.dir });
    await service.start();
    const outcome = await Promise.resolve(service.methods().reset!.handler({ step: 'reboot', reason: 'test' }, { method: 'reset' })).catch((error: Error) => error);
    await service.stop();
    return { runner, outcome, lines, stateDir };
  }

  it('allows the first reboot on a fresh install and remembers it before rebooting', async () => {
    let savedWhenRebooting = '';
    let stateDir = '';
    const { outcome } = await manualReboot((dir) => { stateDir = dir; }, (line) => {
      if (line === 'reboot') savedWhenRebooting = readFileSync(join(stateDir, 'ladder.json'), 'utf8');
    });
    expect(outcome).toMatchObject({ step: 'reboot', outcome: 'ok' });
    expect(JSON.parse(savedWhenRebooting).run_times.reboot).toHaveLength(1);
  });

  it('refuses a second reboot when ladder.json is damaged but its previous copy holds the reboot', async () => {
    const { runner, outcome } = await manualReboot((dir) => {
      writeFileSync(join(dir, 'ladder.json.prev'), JSON.stringify({ run_times: { reboot: [new FakeClock().now() - 3_600_000] } }));
      writeFileSync(join(dir, 'ladder.json'), '\u0000\u0000\u0000');
    });
    expect(outcome).toMatchObject({ status: 'PERMISSION_DENIED' });
    expect(runner.calls).toEqual([]);
  });

  it('refuses a reboot when ladder.json is damaged and no good copy is left', async () => {
    const { runner, outcome, lines } = await manualReboot((dir) => writeFileSync(join(dir, 'ladder.json'), '{"run_times": {"reboot": [17'));
    expect(outcome).toMatchObject({ status: 'PERMISSION_DENIED' });
    expect(runner.calls).toEqual([]);
    expect(lines.some((line) => line.includes('counting a reboot now so the daily reboot cap holds'))).toBe(true);
  });
});
