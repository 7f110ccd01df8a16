import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ubus } from '../../lib/ubus/types.js';
import type { Clock } from '../clock.js';
import { describeFailure, type CommandRunner } from '../command.js';
import type { Mmcli } from '../modem/mmcli.js';
import { MmcliError } from '../modem/mmcli.js';
import type { StepExecutor, StepOutcome } from './ladder.js';
import type { StepName } from './steps.js';

export interface ActionSettings {
  /** netifd interface of the modem (proto modemmanager), e.g. `wwan`. */
  interfaceName: string;
  reconnectMethod: 'mmcli' | 'ifup';
  /** `--simple-connect` settings, e.g. `apn=internet,ip-type=ipv4v6`. */
  connectSettings: string;
  resetMethod: 'auto' | 'reset' | 'disable-enable';
  mmRestartCommand: string[];
  powerCycleMethod: 'none' | 'usb' | 'gpio';
  /** USB device id (`1-1.2`) for `usb`; value file of the power pin for `gpio`. */
  powerCycleTarget: string;
  powerCycleOffS: number;
  gpioActiveLow: boolean;
  rebootCommand: string[];
  sysfsRoot: string;
}

export interface ActionDeps {
  runner: CommandRunner;
  mmcli: Mmcli;
  ubus: Ubus;
  clock: Clock;
  /** Index of the modem right now (it changes when the modem re-appears). */
  modemIndex(): number | undefined;
}

const ok = (detail: string): StepOutcome => ({ ok: true, detail });
const failed = (detail: string): StepOutcome => ({ ok: false, detail });

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => { clock.setTimeout(resolve, ms); });
}

export function buildExecutors(settings: ActionSettings, deps: ActionDeps): Partial<Record<StepName, StepExecutor>> {
  const withModem = async (what: (index: number) => Promise<StepOutcome>): Promise<StepOutcome> => {
    const index = deps.modemIndex();
    if (index === undefined) return failed('no modem to act on');
    try {
      return await what(index);
    } catch (error) {
      return failed(error instanceof MmcliError ? `${error.kind}: ${error.message}` : (error as Error).message);
    }
  };
  const command = async (argv: string[], timeoutMs = 60_000): Promise<StepOutcome> => {
    const result = await deps.runner.run(argv[0], argv.slice(1), { timeoutMs });
    return result.code === 0 ? ok(`${argv.join(' ')}: done`) : failed(`${argv.join(' ')}: ${describeFailure(result)}`);
  };
  const iface = `network.interface.${settings.interfaceName}`;

  const executors: Partial<Record<StepName, StepExecutor>> = {
    reconnect: async () => {
      if (settings.reconnectMethod === 'ifup') return command(['ifup', settings.interfaceName]);
      return withModem(async (index) => ok((await deps.mmcli.simpleConnect(index, settings.connectSettings)).trim()));
    },
    interface_restart: async () => {
      try {
        await deps.ubus.call(iface, 'down', {});
        await sleep(deps.clock, 2000);
        await deps.ubus.call(iface, 'up', {});
        return ok(`ubus ${iface} down/up`);
      } catch (error) {
        return failed(`ubus ${iface}: ${(error as Error).message}`);
      }
    },
    modem_reset: async () => withModem(async (index) => {
      if (settings.resetMethod !== 'disable-enable') {
        try {
          return ok((await deps.mmcli.reset(index)).trim());
        } catch (error) {
          if (!(error instanceof MmcliError && error.kind === 'unsupported') || settings.resetMethod === 'reset') throw error;
        }
      }
      await deps.mmcli.disable(index).catch(() => undefined);
      await deps.mmcli.enable(index);
      return ok(settings.resetMethod === 'auto' ? 'reset unsupported; disabled and enabled the modem' : 'disabled and enabled the modem');
    }),
    mm_restart: async () => command(settings.mmRestartCommand, 60_000),
    reboot: async () => command(settings.rebootCommand, 30_000),
  };
  if (settings.powerCycleMethod !== 'none' && settings.powerCycleTarget) {
    executors.power_cycle = async () => {
      try {
        if (settings.powerCycleMethod === 'usb') {
          const driver = join(settings.sysfsRoot, 'bus/usb/drivers/usb');
          await writeFile(join(driver, 'unbind'), settings.powerCycleTarget);
          await sleep(deps.clock, settings.powerCycleOffS * 1000);
          await writeFile(join(driver, 'bind'), settings.powerCycleTarget);
          return ok(`usb ${settings.powerCycleTarget} unbound and bound after ${settings.powerCycleOffS}s`);
        }
        const valueFile = settings.powerCycleTarget.startsWith('/sys/') && settings.sysfsRoot !== '/sys'
          ? join(settings.sysfsRoot, settings.powerCycleTarget.slice('/sys/'.length))
          : settings.powerCycleTarget;
        await writeFile(valueFile, settings.gpioActiveLow ? '1' : '0');
        await sleep(deps.clock, settings.powerCycleOffS * 1000);
        await writeFile(valueFile, settings.gpioActiveLow ? '0' : '1');
        return ok(`gpio ${settings.powerCycleTarget} off for ${settings.powerCycleOffS}s`);
      } catch (error) {
        return failed(`power cycle: ${(error as Error).message}`);
      }
    };
  }
  return executors;
}
