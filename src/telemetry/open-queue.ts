import type { ServiceContext } from '../lib/lifecycle.js';
import type { TelemetryConfig } from './config.js';
import { DiskQueue } from './queue/index.js';
import type { TelemetryQueue } from './queue-port.js';

/** The durable queue as configured in UCI (sizes in MB and hours there, bytes and ms here). */
export async function openDiskQueue(config: TelemetryConfig, context: ServiceContext<TelemetryConfig>): Promise<TelemetryQueue> {
  const queue = await DiskQueue.open({
    dir: config.queue_dir,
    ...(config.queue_mount_point ? { mountPoint: config.queue_mount_point } : {}),
    maxBytes: config.queue_max_mb * 1024 * 1024,
    minFreeBytes: config.queue_min_free_mb * 1024 * 1024,
    maxAgeMs: config.queue_max_age * 3600 * 1000,
    fsyncIntervalMs: config.queue_fsync_interval_ms,
    log: context.log.child('queue'),
  });
  return queue;
}
