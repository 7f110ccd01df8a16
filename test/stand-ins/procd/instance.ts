/**
 * One supervised procd instance, following openwrt/procd service/instance.c: instance_start,
 * instance_exit (respawn `[threshold, timeout, retry]`: a run shorter than `threshold` s counts as a
 * crash; more than `retry` such crashes in a row is a crash loop: the instance is halted and left
 * failed; otherwise it is started again after `timeout` s), instance_stop (SIGTERM, then SIGKILL after
 * `term_timeout` s) and instance_restart (a changed config: stop, then start when it has exited).
 * Exit codes are reported like procd: the exit status, or 128 + signal number.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Json } from './procd.js';
import { pipeLinesToSyslog, type SyslogBuffer, type SyslogPriority } from './syslog.js';

export interface InstanceConfig {
  command?: string[];
  env?: Record<string, string>;
  data?: { [key: string]: Json };
  respawn?: string[];
  term_timeout?: number;
  stdout?: boolean;
  stderr?: boolean;
  file?: string[];
  pidfile?: string;
  reload_signal?: number;
}

export type InstanceEventType = 'instance.start' | 'instance.stop' | 'instance.respawn' | 'instance.fail';

/** What the supervisor gives an instance: how to run a command, where to log, whom to tell. */
export interface InstanceHost {
  /** argv as it is run here (e.g. `/usr/bin/node` -> this node, paths mapped into an offline root). */
  resolveArgv(command: readonly string[]): string[];
  environment(config: InstanceConfig): NodeJS.ProcessEnv;
  syslog: SyslogBuffer;
  event(type: InstanceEventType, instance: SupervisedInstance, details: { pid?: number; exit_code?: number }): void;
  /** procd's instance_delete: the instance halted for good. */
  deleted(instance: SupervisedInstance): void;
  /** procd's own LOG(). */
  log(priority: SyslogPriority, message: string): void;
}

interface Respawn { threshold: number; timeout: number; retry: number }

function respawnOf(config: InstanceConfig): Respawn | undefined {
  if (!config.respawn) return undefined;
  const values = [3600, 5, 5];
  config.respawn.slice(0, 3).forEach((value, index) => { values[index] = Number.parseInt(value, 10) || 0; });
  return { threshold: values[0]!, timeout: values[1]!, retry: values[2]! };
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? constants.signals[signal] : 0);
}

export class SupervisedInstance {
  pid: number | undefined;
  exitCode = 0;
  /** procd's respawn_count: crashes in a row, each within `threshold` s of its start. */
  respawnCount = 0;
  /** How many processes this instance has started (not reported by procd; for tests). */
  spawns = 0;
  /** Halted after a crash loop (procd's instance.fail). */
  failed = false;
  private child: ChildProcess | undefined;
  private respawnEnabled: boolean;
  private halt = false;
  private restart = false;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;

  constructor(readonly service: string, readonly name: string, public config: InstanceConfig, private readonly host: InstanceHost) {
    this.respawnEnabled = config.respawn !== undefined;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get termTimeout(): number {
    return this.config.term_timeout ?? 5;
  }

  get respawn(): Respawn | undefined {
    return respawnOf(this.config);
  }

  start(): void {
    if (!this.config.command?.length) {
      this.host.log('info', `Not starting instance ${this.service}::${this.name}, command not set`);
      return;
    }
    if (this.child) {
      if (this.halt) this.restart = true;
      return;
    }
    this.restart = false;
    this.halt = false;
    const [file, ...args] = this.host.resolveArgv(this.config.command);
    const child = spawn(file!, args, {
      env: this.host.environment(this.config),
      stdio: ['ignore', this.config.stdout ? 'pipe' : 'ignore', this.config.stderr ? 'pipe' : 'ignore'],
    });
    this.spawns += 1;
    this.startedAt = Date.now();
    let exited = false;
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (exited) return;
      exited = true;
      this.onExit(code, signal);
    };
    // execvp failing in procd's child ends it with exit(127).
    child.once('error', () => onExit(127, null));
    child.once('exit', onExit);
    this.child = child;
    this.pid = child.pid;
    const arg0 = this.config.command[0]!.split('/').pop();
    const ident = () => `${arg0}[${child.pid ?? 0}]`;
    if (child.stdout) pipeLinesToSyslog(child.stdout, this.host.syslog, 'info', ident);
    if (child.stderr) pipeLinesToSyslog(child.stderr, this.host.syslog, 'err', ident);
    this.host.event('instance.start', this, { pid: child.pid });
  }

  /** instance_stop: SIGTERM now, SIGKILL after term_timeout; `halt` deletes the instance once it has exited. */
  stop(halt: boolean): void {
    if (!this.child) {
      this.cancelTimer();
      if (halt) this.host.deleted(this);
      return;
    }
    this.halt = halt;
    this.restart = false;
    this.respawnEnabled = false;
    this.child.kill('SIGTERM');
    this.setTimer(this.termTimeout * 1000);
  }

  /**
   * instance_update (a `service set` naming this instance again): a stopped or halting instance takes
   * the config and starts; a running one is restarted (or sent its reload signal) only when `changed`.
   */
  update(config: InstanceConfig, changed: boolean): void {
    this.config = config;
    if (!this.child || this.halt) {
      this.respawnEnabled = config.respawn !== undefined;
      this.respawnCount = 0;
      this.failed = false;
      this.start();
      return;
    }
    this.respawnEnabled = config.respawn !== undefined;
    if (!changed) return;
    if (config.reload_signal) {
      this.child.kill(config.reload_signal);
      return;
    }
    this.halt = true;
    this.restart = true;
    this.child.kill('SIGTERM');
    this.setTimer(this.termTimeout * 1000);
  }

  /** `service signal`: 0, or ubus NOT_FOUND (4) when there is no process (kill fails with ESRCH). */
  signal(signal: number): number {
    if (!this.child?.pid) return 4;
    try {
      process.kill(this.child.pid, signal);
      return 0;
    } catch {
      return 4;
    }
  }

  snapshot(): { [key: string]: Json } {
    const out: { [key: string]: Json } = { running: this.running };
    if (this.running && this.pid !== undefined) out.pid = this.pid;
    if (this.config.command) out.command = [...this.config.command];
    out.term_timeout = this.termTimeout;
    if (!this.running) out.exit_code = this.exitCode;
    if (this.config.env && Object.keys(this.config.env).length) out.env = { ...this.config.env };
    if (this.config.data && Object.keys(this.config.data).length) out.data = { ...this.config.data };
    if (this.config.reload_signal) out.reload_signal = this.config.reload_signal;
    const respawn = this.respawnEnabled ? this.respawn : undefined;
    if (respawn) out.respawn = { threshold: respawn.threshold, timeout: respawn.timeout, retry: respawn.retry };
    if (this.config.pidfile) out.pidfile = this.config.pidfile;
    return out;
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const pid = this.pid;
    const runtime = Math.floor((Date.now() - this.startedAt) / 1000);
    this.child = undefined;
    this.exitCode = exitCodeOf(code, signal);
    this.cancelTimer();
    this.host.event('instance.stop', this, { pid, exit_code: this.exitCode });
    if (this.halt) {
      if (this.restart) this.start();
      else this.host.deleted(this);
    } else if (this.restart) {
      this.start();
    } else if (this.respawnEnabled) {
      const respawn = this.respawn!;
      this.respawnCount = runtime < respawn.threshold ? this.respawnCount + 1 : 0;
      if (this.respawnCount > respawn.retry && respawn.retry > 0) {
        this.host.log('info', `Instance ${this.service}::${this.name} s in a crash loop ${this.respawnCount} crashes, ${runtime} seconds since last crash`);
        this.restart = false;
        this.respawnEnabled = false;
        this.halt = true;
        this.failed = true;
        this.host.event('instance.fail', this, { pid, exit_code: this.exitCode });
      } else {
        this.host.event('instance.respawn', this, { pid, exit_code: this.exitCode });
        this.setTimer(respawn.timeout * 1000);
      }
    }
  }

  /** procd's instance_timeout: SIGKILL a halting instance, or start a respawning one. */
  private onTimer(): void {
    this.timer = undefined;
    if (this.halt) {
      if (this.child) {
        this.host.log('info', `Instance ${this.service}::${this.name} pid ${this.pid} not stopped on SIGTERM, sending SIGKILL instead`);
        this.child.kill('SIGKILL');
      }
    } else if (this.restart || this.respawnEnabled) {
      this.start();
    }
  }

  private setTimer(ms: number): void {
    this.cancelTimer();
    this.timer = setTimeout(() => this.onTimer(), ms);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
