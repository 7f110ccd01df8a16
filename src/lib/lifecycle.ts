import { Backoff } from './backoff.js';
import type { Logger } from './log.js';
import type { MetricsRegistry } from './metrics.js';
import type { ConfigIssue, ConfigSource } from './config/types.js';
import { UBUS_STATUS, UbusError } from './ubus/types.js';
import type { PublishedObject, Ubus, UbusArgs, UbusArgType, UbusMethod } from './ubus/types.js';

/** What a service is given; nothing here is global. */
export interface ServiceContext<C> {
  log: Logger;
  metrics: MetricsRegistry;
  /** Connected lazily: calls fail with CONNECTION_FAILED while ubusd is away. */
  ubus: Ubus;
  config: C;
  /** Emits `smartgrid.<service>.<what>` on the ubus event bus (best effort). */
  emit(what: string, data?: UbusArgs): void;
}

export interface Service<C> {
  start(): Promise<void>;
  /** Finish in-flight work; must resolve before `deadlineMs` elapses. */
  stop(deadlineMs: number): Promise<void>;
  reload(config: C): Promise<void>;
  status(): UbusArgs;
  /** Handlers for the methods declared in `DaemonOptions.methods`. */
  methods?(): Record<string, UbusMethod>;
}

export type DaemonState = 'starting' | 'running' | 'config-error' | 'start-failed' | 'stopping' | 'stopped';

export interface DaemonOptions<C> {
  /** Short service name: `telemetry` -> ubus `smartgrid.telemetry`, section `smartgrid.telemetry`. */
  name: string;
  log: Logger;
  metrics: MetricsRegistry;
  ubus: Ubus;
  config: ConfigSource<C>;
  create(context: ServiceContext<C>): Service<C>;
  /**
   * Signatures of the methods `smartgrid.<name>` publishes besides `status` and `reload`. Declared
   * up front so the object is complete even while the service waits for a valid config.
   */
  methods?: Record<string, Record<string, UbusArgType>>;
  /** Bound on SIGTERM draining (procd's term_timeout is 5 s by default). */
  stopDeadlineMs?: number;
  /** A failed start is retried after a jittered delay growing from `initialMs` to `maxMs`; default 1 s .. 60 s. */
  startRetry?: { initialMs: number; maxMs: number };
  onLevel?(config: C): void;
}

/**
 * Runs one service: validated config in, ubus object out, SIGHUP reloads, SIGTERM drains.
 * A bad config never crashes the process (no procd respawn loop): the last good config stays,
 * and with none yet the daemon reports `config-error` over ubus until a reload fixes it. A service
 * whose start fails (queue directory locked, disk not mounted) is stopped again and retried with
 * backoff, reporting `start-failed` meanwhile; a reload retries at once.
 */
export class Daemon<C> {
  private state: DaemonState = 'starting';
  private service: Service<C> | undefined;
  private configIssues: ConfigIssue[] = [];
  private published: PublishedObject | undefined;
  private startError: string | undefined;
  private readonly startedAt = Date.now();
  /** The config work running now (start or a reload); the next one waits for it. */
  private applying: Promise<void> = Promise.resolve();
  /** A reload waiting for `applying`: later requests join it (it reads the config when it starts). */
  private queuedReload: Promise<void> | undefined;
  private readonly startBackoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DaemonOptions<C>) {
    const retry = options.startRetry ?? { initialMs: 1000, maxMs: 60_000 };
    this.startBackoff = new Backoff(retry.initialMs, retry.maxMs);
  }

  get currentState(): DaemonState { return this.state; }

  async start(): Promise<void> {
    this.applying = this.applying.then(() => this.applyConfigSafely());
    await this.applying;
    await this.publish();
  }

  /**
   * Re-reads the config. Reloads never overlap (SIGHUP and ubus `reload` at once would otherwise build
   * two clients from one config): one waits for the running one, and requests made meanwhile share it.
   */
  reload(): Promise<void> {
    this.options.log.notice('reload requested');
    if (this.queuedReload) return this.queuedReload;
    const queued = this.applying.then(() => {
      this.queuedReload = undefined;
      return this.applyConfigSafely();
    });
    this.queuedReload = queued;
    this.applying = queued;
    return queued;
  }

  async stop(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.state = 'stopping';
    clearTimeout(this.retryTimer);
    const deadline = this.options.stopDeadlineMs ?? 4000;
    if (this.service) {
      const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, deadline, 'timeout').unref());
      const outcome = await Promise.race([this.service.stop(deadline).then(() => 'done' as const), timer]).catch((error: unknown) => {
        this.options.log.error('stop failed', { error: String(error) });
        return 'failed' as const;
      });
      if (outcome === 'timeout') this.options.log.warn('stop deadline passed, exiting anyway', { deadline_ms: deadline });
    }
    await this.published?.remove().catch(() => undefined);
    await this.options.ubus.close().catch(() => undefined);
    this.state = 'stopped';
  }

  /** Installs SIGTERM/SIGINT (drain, exit 0) and SIGHUP (reload). */
  installSignalHandlers(exit: (code: number) => void = (code) => process.exit(code)): void {
    const terminate = () => { void this.stop().then(() => exit(0)); };
    process.on('SIGTERM', terminate);
    process.on('SIGINT', terminate);
    process.on('SIGHUP', () => { void this.reload(); });
  }

  statusReply(): UbusArgs {
    const base: UbusArgs = { service: this.options.name, uptime: Math.round((Date.now() - this.startedAt) / 1000) };
    if (!this.service) {
      const reply: UbusArgs = { ...base, state: this.state, config_errors: this.configIssues.map((issue) => ({ ...issue })) };
      if (this.startError) reply.last_error = this.startError;
      return reply;
    }
    const status = this.service.status();
    const reply: UbusArgs = { ...base, state: this.state, ...status };
    if (this.startError) reply.reload_error = this.startError;
    const metrics = this.options.metrics.snapshot();
    if (Object.keys(metrics).length && reply.metrics === undefined) reply.metrics = metrics;
    if (this.configIssues.length) reply.config_errors = this.configIssues.map((issue) => ({ ...issue }));
    return reply;
  }

  /** A service that fails to start is reported over ubus and retried with backoff (or on the next reload). */
  private async applyConfigSafely(): Promise<void> {
    clearTimeout(this.retryTimer);
    try {
      await this.applyConfig();
      this.startError = undefined;
      this.startBackoff.reset();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.startError = message;
      if (this.service) { this.options.log.error(`service failed: ${message}`); return; }
      this.state = 'start-failed';
      const delay = this.startBackoff.next();
      this.options.log.error(`service failed: ${message}`, { retry_ms: delay, attempt: this.startBackoff.failures });
      this.retryTimer = setTimeout(() => { if (this.state === 'start-failed') void this.reload(); }, delay);
    }
  }

  private async applyConfig(): Promise<void> {
    const { log } = this.options;
    const result = await this.options.config.load();
    if (!result.ok) {
      this.configIssues = result.issues;
      for (const issue of result.issues) log.error(`invalid config: ${issue.message}`);
      if (this.service) {
        log.warn('keeping the last good configuration');
      } else {
        this.state = 'config-error';
      }
      return;
    }
    this.configIssues = [];
    this.options.onLevel?.(result.config);
    if (this.service) {
      await this.service.reload(result.config);
      log.info('configuration reloaded');
      return;
    }
    const service = this.options.create({
      log,
      metrics: this.options.metrics,
      ubus: this.options.ubus,
      config: result.config,
      emit: (what, data) => {
        void this.options.ubus.send(`smartgrid.${this.options.name}.${what}`, data ?? {}).catch(() => undefined);
      },
    });
    this.state = 'starting';
    try {
      await service.start();
    } catch (error) {
      await service.stop(this.options.stopDeadlineMs ?? 4000).catch(() => undefined);
      throw error;
    }
    this.service = service;
    this.state = 'running';
    log.info('started');
  }

  private async publish(): Promise<void> {
    const methods: Record<string, UbusMethod> = {
      status: { handler: () => this.statusReply() },
      reload: { handler: async () => { await this.reload(); return { state: this.state }; } },
    };
    for (const [name, signature] of Object.entries(this.options.methods ?? {})) {
      methods[name] = {
        signature,
        handler: (args, context) => {
          const method = this.service?.methods?.()[name];
          if (!method) throw new UbusError(UBUS_STATUS.NO_DATA, `${name}: service is in state ${this.state}`);
          return method.handler(args, context);
        },
      };
    }
    try {
      this.published = await this.options.ubus.publish(`smartgrid.${this.options.name}`, methods);
    } catch (error) {
      this.options.log.error('could not publish ubus object', { error: String(error) });
    }
  }
}
