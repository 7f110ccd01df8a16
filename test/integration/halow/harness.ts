// Runs HalowService in-process through runService: the ubusd stand-in, a temporary UCI dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { halowSchema } from '../../../src/lib/config/schemas/index.js';
import { runService, type RunningService } from '../../../src/lib/run-service.js';
import { UciSectionSource } from '../../../src/lib/config/uci-source.js';
import type { HalowConfig } from '../../../src/halow/config.js';
import { HALOW_METHODS, HALOW_OBJECT } from '../../../src/halow/contract.js';
import { HalowService } from '../../../src/halow/service.js';
import { startTestUbus, waitUntil, type TestUbus } from '../../helpers/ubus.js';
import type { UbusArgs } from '../../../src/lib/ubus/types.js';

export interface HalowHarness {
  bus: TestUbus;
  dir: string;
  running: RunningService<HalowConfig>;
  call(method: string, args?: UbusArgs): Promise<UbusArgs>;
  /** Rewrites `smartgrid.halow` and reloads over ubus. */
  reconfigure(options: Record<string, string | number>): Promise<void>;
  stop(): Promise<void>;
}

export function halowSection(options: Record<string, string | number>): string {
  return ["config halow 'halow'", ...Object.entries(options).map(([key, value]) => `\toption ${key} '${value}'`)].join('\n') + '\n';
}

export async function startHalow(options: Record<string, string | number>): Promise<HalowHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-halow-'));
  const write = (values: Record<string, string | number>) => writeFileSync(join(dir, 'smartgrid'), halowSection({ regdb_path: join(dir, 'no-regdb.csv'), ...values }));
  write(options);
  const bus = await startTestUbus();
  const running = await runService<HalowConfig>({
    name: 'halow',
    schema: halowSchema,
    create: (context) => new HalowService(context),
    methods: HALOW_METHODS,
    ubus: await bus.newClient(),
    config: new UciSectionSource<HalowConfig>({ section: 'halow', schema: halowSchema, configDir: dir }),
    exit: () => undefined,
  });
  const call = (method: string, args: UbusArgs = {}) => bus.client.call(HALOW_OBJECT, method, args);
  await waitUntil(async () => (await call('status').catch(() => ({}) as UbusArgs)).state !== undefined, 10_000, 'smartgrid.halow on ubus');
  return {
    bus, dir, running, call,
    async reconfigure(values) {
      write(values);
      await call('reload');
    },
    async stop() {
      await running.daemon.stop();
      await bus.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
