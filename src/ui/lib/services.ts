import { Rpc, RpcError, type Data } from './rpc.js';

export const SERVICES = ['telemetry', 'lte', 'thread', 'halow'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ServiceStatus {
  /** The `status` reply, or undefined when the object is not on the bus. */
  status: Data | undefined;
  error: string | undefined;
}

/** `smartgrid.<name> status`; a missing object is "not running", not an error. */
export async function serviceStatus(rpc: Rpc, name: ServiceName): Promise<ServiceStatus> {
  try {
    return { status: await rpc.call(`smartgrid.${name}`, 'status'), error: undefined };
  } catch (error) {
    if (error instanceof RpcError && error.code === -32000) return { status: undefined, error: undefined };
    return { status: undefined, error: (error as Error).message };
  }
}

export async function allStatuses(rpc: Rpc): Promise<Record<ServiceName, ServiceStatus>> {
  const entries = await Promise.all(SERVICES.map(async (name) => [name, await serviceStatus(rpc, name)] as const));
  return Object.fromEntries(entries) as Record<ServiceName, ServiceStatus>;
}

/** URL of a sibling LuCI page (`.../smartgrid/lte`). */
export function pageUrl(page: string, location: Location = window.location): string {
  return location.pathname.replace(/\/[^/]*$/, `/${page}`);
}

/** Sum of the per-class queue depths (`{alarm, event, telemetry}`) or a plain number. */
export function queueDepth(depth: unknown): number | undefined {
  if (typeof depth === 'number') return depth;
  if (depth && typeof depth === 'object') return Object.values(depth as Record<string, unknown>).reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : 0), 0);
  return undefined;
}

/** Problems the daemon reported with its configuration (`config_errors`), as their messages. */
export function configErrors(status: Data | undefined): string[] {
  const issues = status?.config_errors;
  return Array.isArray(issues) ? issues.map((issue) => String((issue as Data)?.message ?? issue)) : [];
}

/**
 * The telemetry forwarder's health from what it ingests and delivers, not from the upstream socket
 * alone: readings only come in while the local broker is connected, and only leave while upstream is.
 */
export function telemetryHealth(status: Data | undefined): string | undefined {
  if (!status) return undefined;
  if (configErrors(status).length) return 'config-error';
  if (status.state !== 'running') return typeof status.state === 'string' ? status.state : undefined;
  if (status.local_broker !== 'connected') return 'local broker down';
  if (status.ingest_blocked) return 'queue-full';
  if (status.connection !== 'connected') return 'upstream down';
  return 'ok';
}

/** When the LTE status's modem values were read, if the modem stopped answering since (they are stale). */
export function modemStaleAt(status: Data | undefined): unknown {
  const modemError = status?.modem_error;
  return modemError ? status?.modem_read_at ?? 0 : undefined;
}
