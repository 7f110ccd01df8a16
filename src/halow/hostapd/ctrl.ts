// hostapd's control interface (ctrl_iface, what Morse's hostapd_s1g serves too), through its
// `hostapd_cli`: PING, STATUS and ALL_STA, whose per-station block carries what the ubus object
// does not (inactive_msec, connected_time).
import { describeFailure, type CommandRunner } from '../../lte/command.js';

export interface CtrlStation {
  mac: string;
  flags: string[];
  authorized: boolean;
  mfp: boolean;
  aid: number | null;
  inactiveMs: number | null;
  connectedS: number | null;
  signal: number | null;
}

export interface HostapdCtrlOptions {
  runner: CommandRunner;
  /** `hostapd_cli`, or Morse's `hostapd_cli_s1g`. */
  cli: string;
  /** ctrl_interface directory (`/var/run/hostapd`). */
  ctrlDir: string;
  ifname: string;
  timeoutMs?: number;
}

const MAC_LINE = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;

function numberOf(fields: Map<string, string>, key: string): number | null {
  const value = Number(fields.get(key));
  return fields.has(key) && Number.isFinite(value) ? value : null;
}

function stationOf(mac: string, fields: Map<string, string>): CtrlStation {
  const flags = [...(fields.get('flags') ?? '').matchAll(/\[([A-Z0-9_-]+)\]/g)].map((match) => match[1]!);
  return {
    mac: mac.toLowerCase(), flags, authorized: flags.includes('AUTHORIZED'), mfp: flags.includes('MFP'),
    aid: numberOf(fields, 'aid'), inactiveMs: numberOf(fields, 'inactive_msec'), connectedS: numberOf(fields, 'connected_time'), signal: numberOf(fields, 'signal'),
  };
}

/** ALL_STA output: a MAC line opens each station, `key=value` lines follow. */
export function parseAllSta(text: string): CtrlStation[] {
  const stations: CtrlStation[] = [];
  let mac: string | undefined;
  let fields = new Map<string, string>();
  for (const line of text.split('\n').map((entry) => entry.trim())) {
    if (MAC_LINE.test(line)) {
      if (mac) stations.push(stationOf(mac, fields));
      mac = line;
      fields = new Map();
    } else if (mac && line.includes('=')) {
      fields.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
    }
  }
  if (mac) stations.push(stationOf(mac, fields));
  return stations;
}

export class HostapdCtrlError extends Error {}

export class HostapdCtrl {
  constructor(private readonly options: HostapdCtrlOptions) {}

  private async command(...args: string[]): Promise<string> {
    const { runner, cli, ctrlDir, ifname, timeoutMs } = this.options;
    const result = await runner.run(cli, ['-p', ctrlDir, '-i', ifname, ...args], { timeoutMs: timeoutMs ?? 3000 });
    if (result.code !== 0) throw new HostapdCtrlError(`${cli} ${args.join(' ')}: ${describeFailure(result)}`);
    return result.stdout.trim();
  }

  async ping(): Promise<boolean> {
    return (await this.command('ping')) === 'PONG';
  }

  async status(): Promise<Record<string, string>> {
    const text = await this.command('status');
    return Object.fromEntries(text.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  }

  async allStations(): Promise<CtrlStation[]> {
    return parseAllSta(await this.command('all_sta'));
  }
}
