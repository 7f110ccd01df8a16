// Runs HalowService in-process through runService: the ubusd stand-in, a temporary UCI dir.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { UciBatchWriter } from '../../../src/lib/uci/writer.js';
import type { CommandResult, CommandRunner } from '../../../src/lte/command.js';

const besideHarness = new URL('../../stand-ins/uci/uci', import.meta.url).pathname;
/** The uci CLI stand-in (openwrt/uci cli.c behaviour): the service writes through `uci batch`. */
export const UCI_STAND_IN = existsSync(besideHarness) ? besideHarness : join(process.cwd(), 'test/stand-ins/uci/uci');

/** netifd's and the init scripts' side of a reload: recorded, answering as OpenWrt does. */
export class RecordingRunner implements CommandRunner {
  readonly calls: string[] = [];
  failWith: CommandResult | undefined;

  async run(command: string, args: string[]): Promise<CommandResult> {
    this.calls.push([command, ...args].join(' '));
    return this.failWith ?? { code: 0, stdout: '', stderr: '', timedOut: false };
  }
}

/** A device's configs before smartgrid-halow touches them: the admin's radio and LAN. */
export const DEVICE_CONFIGS: Record<string, string> = {
  wireless: [
    "config wifi-device 'radio1'", "\toption type 'morse'", "\toption path 'platform/soc/fe300000.mmc/mmc_host/mmc1/mmc1:0001/mmc1:0001:1'",
    "\toption bcf 'bcf_mf08651_us.bin'", "\toption channel '1'", '',
    "config wifi-iface 'admin_lan'", "\toption device 'radio0'", "\toption mode 'ap'", "\toption ssid 'office'", "\toption encryption 'psk2'", "\toption key 'office-pass'", '',
  ].join('\n'),
  network: ["config interface 'lan'", "\toption device 'br-lan'", "\toption proto 'static'", "\toption ipaddr '192.168.1.1'", "\toption netmask '255.255.255.0'", ''].join('\n'),
  dhcp: ["config dhcp 'lan'", "\toption interface 'lan'", "\toption start '100'", ''].join('\n'),
  firewall: ["config defaults", "\toption input 'REJECT'", '', "config zone 'lan'", "\toption name 'lan'", "\tlist network 'lan'", ''].join('\n'),
};

export interface HalowHarness {
  bus: TestUbus;
  dir: string;
  runner: RecordingRunner;
  running: RunningService<HalowConfig>;
  call(method: string, args?: UbusArgs): Promise<UbusArgs>;
  /** Rewrites `smartgrid.halow` and reloads over ubus. */
  reconfigure(options: Record<string, string | number>): Promise<void>;
  stop(): Promise<void>;
}

export function halowSection(options: Record<string, string | number>, dcus: readonly string[] = []): string {
  return ["config halow 'halow'", ...Object.entries(options).map(([key, value]) => `\toption ${key} '${value}'`), ...dcus.map((dcu) => `\tlist dcus '${dcu}'`)].join('\n') + '\n';
}

export async function startHalow(options: Record<string, string | number>, configs: Record<string, string> = DEVICE_CONFIGS, dcus: readonly string[] = []): Promise<HalowHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-halow-'));
  for (const [name, text] of Object.entries(configs)) writeFileSync(join(dir, name), text);
  const runner = new RecordingRunner();
  const write = (values: Record<string, string | number>) => writeFileSync(join(dir, 'smartgrid'), halowSection({ regdb_path: join(dir, 'no-regdb.csv'), hostapd_cli: 'off', ...values }, dcus));
  write(options);
  const bus = await startTestUbus();
  const running = await runService<HalowConfig>({
    name: 'halow',
    schema: halowSchema,
    create: (context) => new HalowService(context, { configDir: dir, runner, writer: new UciBatchWriter({ configDir: dir, command: UCI_STAND_IN }) }),
    methods: HALOW_METHODS,
    ubus: await bus.newClient(),
    config: new UciSectionSource<HalowConfig>({ section: 'halow', schema: halowSchema, configDir: dir }),
    exit: () => undefined,
  });
  const call = (method: string, args: UbusArgs = {}) => bus.client.call(HALOW_OBJECT, method, args);
  await waitUntil(async () => (await call('status').catch(() => ({}) as UbusArgs)).state !== undefined, 10_000, 'smartgrid.halow on ubus');
  return {
    bus, dir, runner, running, call,
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
