import { describeFailure, type CommandResult, type CommandRunner } from '../command.js';
import { parseBearer, parseModem, parseModemList, parseSignal, parseSim } from './parse.js';
import type { BearerInfo, ModemInfo, SignalInfo, SimInfo } from './types.js';

/** Why an mmcli call failed, in terms the watchdog can act on. */
export type MmcliFailureKind = 'timeout' | 'manager-unavailable' | 'not-found' | 'unsupported' | 'failed' | 'missing-binary';

export class MmcliError extends Error {
  constructor(readonly kind: MmcliFailureKind, readonly args: string[], detail: string) {
    super(`mmcli ${args.join(' ')}: ${detail}`);
    this.name = 'MmcliError';
  }
}

export function classifyFailure(result: CommandResult): MmcliFailureKind {
  if (result.spawnError) return 'missing-binary';
  if (result.timedOut) return 'timeout';
  const text = `${result.stderr}\n${result.stdout}`;
  if (/couldn't find the ModemManager process|couldn't create manager|ServiceUnknown|not provided by any \.service/i.test(text)) return 'manager-unavailable';
  if (/couldn't find (modem|bearer|sim)|not found in any modem|no modems found/i.test(text)) return 'not-found';
  if (/Unsupported|not supported/i.test(text)) return 'unsupported';
  if (/Timeout|timed out/i.test(text)) return 'timeout';
  return 'failed';
}

/** ModemManager's client, from procd's PATH; fixed, not configurable (the config is no place for programs run as root). */
export const MMCLI_PROGRAM = 'mmcli';

export interface MmcliOptions {
  runner: CommandRunner;
  /** Path of the mmcli program (tests); default MMCLI_PROGRAM. */
  binary?: string;
  timeoutMs?: number;
}

/** ModemManager through its command-line client (`mmcli -J`). */
export class Mmcli {
  private readonly binary: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: MmcliOptions) {
    this.binary = options.binary ?? MMCLI_PROGRAM;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async listModems(): Promise<string[]> {
    return parseModemList(await this.json(['-L', '-J']));
  }

  async modem(index: number): Promise<ModemInfo> {
    return parseModem(await this.json(['-m', String(index), '-J']));
  }

  async sim(path: string): Promise<SimInfo> {
    return parseSim(await this.json([`--sim=${path}`, '-J']));
  }

  async bearer(path: string): Promise<BearerInfo> {
    return parseBearer(await this.json([`--bearer=${path}`, '-J']));
  }

  async signal(index: number): Promise<SignalInfo> {
    return parseSignal(await this.json(['-m', String(index), '--signal-get', '-J']));
  }

  async signalSetup(index: number, rateS: number): Promise<void> {
    await this.exec(['-m', String(index), `--signal-setup=${rateS}`]);
  }

  /** `--simple-connect` takes `key=value` pairs separated by commas (apn, ip-type, allow-roaming...). */
  async simpleConnect(index: number, settings: string, timeoutS = 120): Promise<string> {
    return this.exec(['-m', String(index), '--timeout', String(timeoutS), `--simple-connect=${settings}`], (timeoutS + 5) * 1000);
  }

  async simpleDisconnect(index: number): Promise<string> {
    return this.exec(['-m', String(index), '--simple-disconnect']);
  }

  async enable(index: number): Promise<string> {
    return this.exec(['-m', String(index), '--enable']);
  }

  async disable(index: number): Promise<string> {
    return this.exec(['-m', String(index), '--disable']);
  }

  async reset(index: number): Promise<string> {
    return this.exec(['-m', String(index), '--reset']);
  }

  private async json(args: string[]): Promise<string> {
    return this.exec(args);
  }

  private async exec(args: string[], timeoutMs = this.timeoutMs): Promise<string> {
    const result = await this.options.runner.run(this.binary, args, { timeoutMs });
    if (result.code !== 0 || result.timedOut || result.spawnError) {
      throw new MmcliError(classifyFailure(result), args, describeFailure(result));
    }
    return result.stdout;
  }
}
