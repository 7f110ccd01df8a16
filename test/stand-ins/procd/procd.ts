/**
 * Runs an init script under the rc.common/procd.sh stand-in (rc.common beside this file) and turns
 * the recorded procd calls into the ubus messages procd.sh would send (`service set`, `signal`,
 * `delete`), following openwrt/openwrt package/system/procd/files/procd.sh.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Json = string | number | boolean | Json[] | { [key: string]: Json };

export interface ProcdMessage {
  method: 'set' | 'add' | 'signal' | 'delete';
  body: { [key: string]: Json };
}

export interface InitRun {
  status: number;
  stderr: string;
  messages: ProcdMessage[];
  logger: string[][];
}

export interface InitRunOptions {
  script: string;
  action: string;
  uciDir: string;
  /** What procd_running answers. */
  running?: boolean;
  rcDir?: string;
  /** What procd fills into an empty `respawn` (system.@service[0].respawn_*). */
  respawnDefaults?: [string, string, string];
  reloadDelayMs?: number;
}

const TABLE_PARAMS = new Set(['env', 'data', 'limits']);
const ARRAY_PARAMS = new Set(['command', 'netdev', 'file', 'respawn', 'watch', 'watchdog']);
const INT_PARAMS = new Set(['nice', 'term_timeout']);
const BOOL_PARAMS = new Set(['stdout', 'stderr', 'no_new_privs']);

function paramValue(type: string, values: string[]): Json | undefined {
  if (TABLE_PARAMS.has(type)) {
    const table: { [key: string]: Json } = {};
    for (const pair of values) {
      const eq = pair.indexOf('=');
      table[eq < 0 ? pair : pair.slice(0, eq)] = eq < 0 ? '' : pair.slice(eq + 1);
    }
    return table;
  }
  if (ARRAY_PARAMS.has(type)) return values;
  if (INT_PARAMS.has(type)) return Number.parseInt(values[0] ?? '0', 10);
  if (BOOL_PARAMS.has(type)) return values[0] === '1';
  return values[0];
}

export function assembleMessages(lines: string[][], options: Pick<InitRunOptions, 'respawnDefaults' | 'reloadDelayMs'> = {}): ProcdMessage[] {
  const respawnDefaults = options.respawnDefaults ?? ['3600', '5', '5'];
  const messages: ProcdMessage[] = [];
  let service: { [key: string]: Json } | undefined;
  let instances: { [key: string]: Json } = {};
  let triggers: Json[] = [];
  let instance: { [key: string]: Json } | undefined;
  let sequence = 0;
  for (const [call, ...args] of lines) {
    switch (call) {
      case 'open_service':
        instances = {};
        triggers = [];
        sequence = 0;
        service = { name: args[0]!, ...(args[1] ? { script: args[1] } : {}), instances };
        break;
      case 'open_instance':
        sequence += 1;
        instance = {};
        instances[args[0] || `instance${sequence}`] = instance;
        break;
      case 'set_param': {
        const value = paramValue(args[0]!, args.slice(1));
        if (instance && value !== undefined) instance[args[0]!] = value;
        break;
      }
      case 'close_instance':
        if (instance && Array.isArray(instance.respawn) && instance.respawn.length === 0) instance.respawn = [...respawnDefaults];
        instance = undefined;
        break;
      case 'trigger':
        triggers.push([args[0]!, ['if', ['eq', 'package', args[1]!], ['run_script', args[2]!, args[3]!]], options.reloadDelayMs ?? 1000]);
        break;
      case 'close_service':
        if (service) {
          service.triggers = triggers;
          service.data = {};
          messages.push({ method: args[0] === 'add' ? 'add' : 'set', body: service });
        }
        service = undefined;
        break;
      case 'signal':
        messages.push({
          method: 'signal',
          body: { name: args[0]!, ...(args[1] && args[1] !== '*' ? { instance: args[1] } : {}), ...(args[2] ? { signal: Number(args[2]) } : {}) },
        });
        break;
      case 'kill':
        messages.push({ method: 'delete', body: { name: args[0]!, ...(args[1] ? { instance: args[1] } : {}) } });
        break;
      default:
        break;
    }
  }
  return messages;
}

export function runInitScript(options: InitRunOptions): InitRun {
  const work = mkdtempSync(join(tmpdir(), 'sg-procd-'));
  try {
    const log = join(work, 'calls');
    const run = spawnSync('sh', [join(__dirname, 'rc.common'), options.script, options.action], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        PROCD_STANDIN_LOG: log,
        UCI_CONFIG_DIR: options.uciDir,
        PROCD_STANDIN_RUNNING: options.running ? '1' : '0',
        RC_D: options.rcDir ?? work,
      },
    });
    let text = '';
    try { text = readFileSync(log, 'utf8'); } catch { /* nothing was called */ }
    const lines = text.split('\n').filter(Boolean).map((line) => line.split('\x1f'));
    return {
      status: run.status ?? -1,
      stderr: run.stderr,
      messages: assembleMessages(lines, options),
      logger: lines.filter((line) => line[0] === 'logger').map((line) => line.slice(1)),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
