/**
 * The supervising half of the procd stand-in: it takes the `service set|add|signal|delete` messages
 * that procd.ts derives from an init script and really runs the instances (instance.ts), with their
 * stdout/stderr in a syslog buffer, respawn and crash-loop detection, term_timeout, signals, and a
 * `service list` snapshot shaped like procd's (service/service.c, conformance/procd/service-list.json).
 *
 *   const procd = new ProcdSupervisor({ root, envOverride: { SMARTGRID_UBUS_SOCKET: sock } });
 *   for (const m of runInitScript({ script, action: 'start', uciDir }).messages) procd.handle(m);
 *   procd.list('smartgrid-telemetry'); procd.syslog.lines(); await procd.shutdown();
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SupervisedInstance, type InstanceConfig, type InstanceEventType, type InstanceHost } from './instance.js';
import type { Json, ProcdMessage } from './procd.js';
import { SyslogBuffer, type SyslogPriority } from './syslog.js';

export interface SupervisorOptions {
  /**
   * Offline root: absolute paths in `command` (other than `/usr/bin/node`) and `file` are looked up
   * under it. Without a root they are used as they are.
   */
  root?: string;
  /** procd's own environment, which its children inherit (default: PATH only). */
  baseEnv?: NodeJS.ProcessEnv;
  /** Applied over each instance's `env` (e.g. test socket and config paths in place of the device's). */
  envOverride?: Record<string, string>;
  /** What `/usr/bin/node` runs as (default: the node running the tests). */
  nodeBinary?: string;
}

export interface SupervisorEvent {
  type: InstanceEventType;
  service: string;
  instance: string;
  pid?: number;
  exit_code?: number;
  at: number;
}

/** Per-instance counters procd keeps but does not report in `service list`. */
export interface InstanceInspection {
  running: boolean;
  pid: number | undefined;
  exitCode: number;
  respawnCount: number;
  spawns: number;
  failed: boolean;
}

const UBUS_OK = 0;
const UBUS_NOT_FOUND = 4;

export class ProcdSupervisor {
  readonly syslog = new SyslogBuffer();
  readonly events: SupervisorEvent[] = [];
  private readonly services = new Map<string, Map<string, SupervisedInstance>>();
  private readonly fileDigests = new WeakMap<SupervisedInstance, string>();
  private readonly host: InstanceHost;

  constructor(private readonly options: SupervisorOptions = {}) {
    this.host = {
      resolveArgv: (command) => command.map((arg, index) => this.resolveArg(arg, index)),
      environment: (config) => ({ ...(options.baseEnv ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' }), ...config.env, ...options.envOverride }),
      syslog: this.syslog,
      event: (type, instance, details) => {
        this.events.push({ type, service: instance.service, instance: instance.name, ...details, at: Date.now() });
      },
      deleted: (instance) => this.forget(instance),
      log: (priority, message) => this.syslog.log(priority, 'procd', message),
    };
  }

  /** Handles one message as procd's `service` ubus object would; returns the ubus status. */
  handle(message: ProcdMessage): number {
    const body = message.body;
    const name = typeof body.name === 'string' ? body.name : undefined;
    if (!name) return message.method === 'set' || message.method === 'add' ? 2 : UBUS_NOT_FOUND;
    switch (message.method) {
      case 'set':
      case 'add':
        this.set(name, (body.instances ?? {}) as Record<string, InstanceConfig>, message.method === 'add');
        return UBUS_OK;
      case 'signal':
        return this.signal(name, typeof body.instance === 'string' ? body.instance : undefined, typeof body.signal === 'number' ? body.signal : 1);
      case 'delete':
        return this.delete(name, typeof body.instance === 'string' ? body.instance : undefined);
      default:
        return 2;
    }
  }

  /** `service set` replaces the instance list (instances not named are stopped); `add` only adds or updates. */
  set(name: string, instances: Record<string, InstanceConfig>, add = false): void {
    let current = this.services.get(name);
    if (!current) {
      current = new Map();
      this.services.set(name, current);
    }
    if (!add) {
      for (const [instanceName, instance] of current) {
        if (!(instanceName in instances)) instance.stop(true);
      }
    }
    for (const [instanceName, config] of Object.entries(instances)) {
      const existing = current.get(instanceName);
      if (!existing) {
        const instance = new SupervisedInstance(name, instanceName, config, this.host);
        current.set(instanceName, instance);
        this.fileDigests.set(instance, this.digest(config));
        instance.start();
      } else {
        const changed = this.changed(existing, config);
        this.fileDigests.set(existing, this.digest(config));
        existing.update(config, changed);
      }
    }
  }

  /** `service signal` (default SIGHUP); NOT_FOUND for an unknown service or instance. */
  signal(name: string, instanceName: string | undefined, signal = 1): number {
    const service = this.services.get(name);
    if (!service) return UBUS_NOT_FOUND;
    if (instanceName === undefined) {
      let status = UBUS_OK;
      for (const instance of service.values()) status = instance.signal(signal);
      return status;
    }
    const instance = service.get(instanceName);
    return instance ? instance.signal(signal) : UBUS_NOT_FOUND;
  }

  /** `service delete`: stops (SIGTERM, SIGKILL after term_timeout) and forgets the instances. */
  delete(name: string, instanceName?: string): number {
    const service = this.services.get(name);
    if (!service) return UBUS_NOT_FOUND;
    if (instanceName === undefined) {
      for (const instance of [...service.values()]) instance.stop(true);
      if (service.size === 0) this.services.delete(name);
      return UBUS_OK;
    }
    const instance = service.get(instanceName);
    if (!instance) return UBUS_NOT_FOUND;
    instance.stop(true);
    return UBUS_OK;
  }

  /** `ubus call service list [{name}]`: `{}` for an unknown name. */
  list(name?: string): { [service: string]: Json } {
    const out: { [service: string]: Json } = {};
    for (const [serviceName, instances] of this.services) {
      if (name !== undefined && serviceName !== name) continue;
      const table: { [key: string]: Json } = {};
      for (const [instanceName, instance] of instances) table[instanceName] = instance.snapshot();
      out[serviceName] = { instances: table };
    }
    return out;
  }

  inspect(name: string, instanceName = 'instance1'): InstanceInspection | undefined {
    const instance = this.services.get(name)?.get(instanceName);
    if (!instance) return undefined;
    return {
      running: instance.running,
      pid: instance.pid,
      exitCode: instance.exitCode,
      respawnCount: instance.respawnCount,
      spawns: instance.spawns,
      failed: instance.failed,
    };
  }

  /** Deletes every service and resolves when all their processes have exited. */
  async shutdown(timeoutMs = 15_000): Promise<void> {
    for (const name of [...this.services.keys()]) this.delete(name);
    const deadline = Date.now() + timeoutMs;
    while (this.services.size > 0) {
      if (Date.now() > deadline) throw new Error(`procd stand-in: still running after ${timeoutMs} ms: ${[...this.services.keys()].join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private forget(instance: SupervisedInstance): void {
    const service = this.services.get(instance.service);
    if (service?.get(instance.name) !== instance) return;
    service.delete(instance.name);
    if (service.size === 0) this.services.delete(instance.service);
  }

  private resolveArg(arg: string, index: number): string {
    if (index === 0 && arg === '/usr/bin/node') return this.options.nodeBinary ?? process.execPath;
    if (this.options.root && arg.startsWith('/')) return join(this.options.root, arg);
    return arg;
  }

  /** procd restarts an instance whose command, env, respawn, pidfile or watched files (md5) changed. */
  private changed(instance: SupervisedInstance, config: InstanceConfig): boolean {
    const key = (c: InstanceConfig) => JSON.stringify([c.command, c.env ?? {}, c.respawn, c.pidfile, c.file]);
    return key(instance.config) !== key(config) || this.fileDigests.get(instance) !== this.digest(config);
  }

  private digest(config: InstanceConfig): string {
    return (config.file ?? []).map((path) => {
      try {
        return createHash('md5').update(readFileSync(this.options.root ? join(this.options.root, path) : path)).digest('hex');
      } catch {
        return '0';
      }
    }).join(',');
  }
}
