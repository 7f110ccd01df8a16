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
  powerCycleMethod: 'none' | 'usb' | 'gpio';
  /** USB device id (`1-1.2`) for `usb`; value file of the power pin for `gpio`. */
  powerCycleTarget: string;
  powerCycleOffS: number;
  gpioActiveLow: boolean;
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

/**
 * The programs and calls the ladder runs are fixed here, never taken from the configuration (which the
 * LuCI write group edits): `reboot` from procd's PATH, and ModemManager restarted through rpcd's `rc`
 * object (what `/etc/init.d/modemmanager restart` does).
 */
export const REBOOT_COMMAND: readonly string[] = ['reboot'];
export const MM_RESTART_CALL = { object: 'rc', method: 'init', args: { name: 'modemmanager', action: 'restart' } } as const;

const USB_DEVICE_ID = /^[0-9]+-[0-9]+(\.[0-9]+)*$/;
const GPIO_VALUE_FILE = /^\/sys\/class\/gpio\/[A-Za-z0-9_-][A-Za-z0-9_.-]*\/value$/;

/** The sysfs file a power cycle may write for `target`, or why it may not (the schema says the same). */
export function powerCycleFiles(method: 'usb' | 'gpio', target: string, sysfsRoot: string): { files: string[] } | { refused: string } {
  if (method === 'usb') {
    if (!USB_DEVICE_ID.test(target)) return { refused: `power_cycle_target '${target}' is not a USB device id (e.g. 1-1.2)` };
    const driver = join(sysfsRoot, 'bus/usb/drivers/usb');
    return { files: [join(driver, 'unbind'), join(driver, 'bind')] };
  }
  if (!GPIO_VALUE_FILE.test(target)) return { refused: `power_cycle_target '${target}' is not a GPIO value file (/sys/class/gpio/<name>/value)` };
  return { files: [join(sysfsRoot, target.slice('/sys/'.length))] };
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
    mm_restart: async () => {
      try {
        await deps.ubus.call(MM_RESTART_CALL.object, MM_RESTART_CALL.method, { ...MM_RESTART_CALL.args });
        return ok('ubus rc init modemmanager restart');
      } catch (error) {
        return failed(`ubus rc init modemmanager restart: ${(error as Error).message}`);
      }
    },
    reboot: async () => command([...REBOOT_COMMAND], 30_000),
  };
  if (settings.powerCycleMethod !== 'none' && settings.powerCycleTarget) {
    executors.power_cycle = () => powerCycle(settings, settings.powerCycleMethod as 'usb' | 'gpio', deps.clock);
  }
  return executors;
}

async function powerCycle(settings: ActionSettings, method: 'usb' | 'gpio', clock: Clock): Promise<StepOutcome> {
  const allowed = powerCycleFiles(method, settings.powerCycleTarget, settings.sysfsRoot);
  if ('refused' in allowed) return failed(`power cycle: ${allowed.refused}`);
  const offMs = settings.powerCycleOffS * 1000;
  try {
    if (method === 'usb') {
      const [unbind, bind] = allowed.files;
      await writeFile(unbind, settings.powerCycleTarget);
      await sleep(clock, offMs);
      await writeFile(bind, settings.powerCycleTarget);
      return ok(`usb ${settings.powerCycleTarget} unbound and bound after ${settings.powerCycleOffS}s`);
    }
    const [valueFile] = allowed.files;
    await writeFile(valueFile, settings.gpioActiveLow ? '1' : '0');
    await sleep(clock, offMs);
    await writeFile(valueFile, settings.gpioActiveLow ? '0' : '1');
    return ok(`gpio ${settings.powerCycleTarget} off for ${settings.powerCycleOffS}s`);
  } catch (error) {
    return failed(`power cycle: ${(error as Error).message}`);
  }
}
