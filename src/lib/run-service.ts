import { createLogger, SecretRegistry } from './log.js';
import type { LogLevel, Logger } from './log.js';
import { MetricsRegistry } from './metrics.js';
import { Daemon } from './lifecycle.js';
import type { Service, ServiceContext } from './lifecycle.js';
import { UbusClient } from './ubus/client.js';
import type { Ubus, UbusArgType } from './ubus/types.js';
import { UciSectionSource } from './config/uci-source.js';
import type { SectionSchema } from './config/schema-types.js';
import type { ConfigSource } from './config/types.js';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'notice', 'warn', 'error'];

export interface RunServiceOptions<C> {
  /** `telemetry` -> logger `smartgrid-telemetry`, section `smartgrid.telemetry`, ubus `smartgrid.telemetry`. */
  name: string;
  schema: SectionSchema;
  create(context: ServiceContext<C>): Service<C>;
  /** Signatures of the methods published besides `status` and `reload`. */
  methods?: Record<string, Record<string, UbusArgType>>;
  /** SIGTERM drain bound; default 4000 ms (procd kills after 5 s). */
  stopDeadlineMs?: number;
  /** For tests: replace the ubus connection, the config source or the exit. */
  ubus?: Ubus;
  config?: ConfigSource<C>;
  exit?: (code: number) => void;
}

export interface RunningService<C> {
  daemon: Daemon<C>;
  log: Logger;
  ubus: Ubus;
  metrics: MetricsRegistry;
}

function levelOf(config: unknown): LogLevel | undefined {
  const level = (config as { log_level?: unknown } | null)?.log_level;
  return typeof level === 'string' && (LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : undefined;
}

/**
 * The whole `main` of a service: logger, ubus (connected in the background, never fatal), the UCI
 * section validated against its schema, the Daemon and the procd signals.
 * Env: SMARTGRID_UCI_DIR (config dir), SMARTGRID_UBUS_SOCKET (ubusd socket).
 */
export async function runService<C>(options: RunServiceOptions<C>): Promise<RunningService<C>> {
  const secrets = new SecretRegistry();
  const log = createLogger({ name: `smartgrid-${options.name}`, secrets });
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled rejection', { error: reason instanceof Error ? reason.message : String(reason) });
  });
  process.on('uncaughtException', (error) => {
    log.error('uncaught exception', { error: error.message });
  });

  let ubus = options.ubus;
  if (!ubus) {
    const client = new UbusClient({ log: log.child('ubus') });
    client.on('connect', () => log.notice('connected to ubusd', { socket: client.socketPath }));
    client.start();
    ubus = client;
  }

  const config = options.config ?? new UciSectionSource<C>({ section: options.name, schema: options.schema, log, secrets });
  const metrics = new MetricsRegistry();
  const daemon = new Daemon<C>({
    name: options.name,
    log,
    metrics,
    ubus,
    config,
    create: options.create,
    methods: options.methods,
    stopDeadlineMs: options.stopDeadlineMs,
    onLevel: (loaded) => {
      const level = levelOf(loaded);
      if (level) log.setLevel(level);
    },
  });
  daemon.installSignalHandlers(options.exit);
  try {
    await daemon.start();
  } catch (error) {
    log.error('service failed to start; staying up for a reload', { error: error instanceof Error ? error.message : String(error) });
  }
  return { daemon, log, ubus, metrics };
}
