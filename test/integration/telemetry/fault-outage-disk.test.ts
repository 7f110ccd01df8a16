import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPublisher, startBrokers, startService, upstreamConfig, waitFor, type Brokers, type RunningService, serviceReady } from './harness.js';
import { checkDelivery, publishLoad } from './load.js';

describe('faults: long upstream outage and a full disk', () => {
  let brokers: Brokers;
  let publisher: MqttClient;
  let running: RunningService | undefined;
  let mountPoint: string | undefined;

  beforeAll(async () => {
    brokers = await startBrokers();
    publisher = await localPublisher(brokers.local);
  });

  afterAll(async () => {
    await running?.stop();
    await publisher?.endAsync(true);
    await brokers?.close();
    if (mountPoint) { try { execFileSync('umount', [mountPoint]); } catch { /* already gone */ } rmSync(mountPoint, { recursive: true, force: true }); }
  });

  it('keeps everything through an upstream outage and drains the backlog in per-meter order', async () => {
    running = await startService({ broker_port: brokers.local.port, broker_client_id: 'fw-outage', upstream_client_id: 'gw-outage', ...upstreamConfig(brokers.upstream, brokers.certs), backoff_initial_ms: 200, backoff_max_ms: 1000 });
    await waitFor(() => serviceReady(running!), 15_000, 'ready');
    const meters = ['o1', 'o2', 'o3', 'o4', 'o5'];
    const t0 = Date.UTC(2026, 6, 1);
    const load = publishLoad(publisher, meters, 1200, { t0, perTick: 50, tickMs: 5 });
    await waitFor(() => brokers.observer.count() > 500, 10_000, 'traffic before the outage');
    await brokers.upstream.stop();
    const outageStart = Date.now();
    await load;
    await waitFor(() => Number(running!.service.status().rate_in) >= 0 && queueDepth(running!) > 1000, 10_000, 'backlog on disk');
    await new Promise((r) => setTimeout(r, Math.max(0, 6000 - (Date.now() - outageStart))));
    const during = running.service.status();
    expect(during.connection).not.toBe('connected');
    expect(String(during.last_error)).not.toBe('');
    await brokers.upstream.restart();
    await waitFor(() => checkDelivery(brokers.observer, meters, 1200, t0).missing === 0, 30_000, 'backlog drained');
    const report = checkDelivery(brokers.observer, meters, 1200, t0);
    expect(report.orderViolations).toBe(0);
    expect(report.duplicates).toBeLessThanOrEqual(running.config.max_inflight * running.config.batch_max_readings);
    await waitFor(() => queueDepth(running!) === 0, 10_000, 'queue empty');
    await running.stop();
    running = undefined;
  }, 90_000);

  it('applies backpressure when the disk is full, reports it, and recovers without loss when space returns', async () => {
    mountPoint = mkdtempSync(join(tmpdir(), 'sg-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
    const queueDir = join(mountPoint, 'queue');
    mkdirSync(queueDir);
    const filler = join(mountPoint, 'filler');
    writeFileSync(filler, Buffer.alloc(700 * 1024));
    running = await startService({ broker_port: brokers.local.port, broker_client_id: 'fw-disk', upstream_client_id: 'gw-disk', queue_dir: queueDir, queue_max_mb: 64, ...upstreamConfig(brokers.upstream, brokers.certs) });
    await waitFor(() => serviceReady(running!), 15_000, 'ready');
    // A 1 MB tmpfs: RAM, and smaller than queue_max_mb.
    expect(running.service.status().queue).toMatchObject({ durable: false, file_system: 'tmpfs', limited_by_disk: true });
    expect(Number((running.service.status().queue as { limit_bytes: number }).limit_bytes)).toBeLessThan(1024 * 1024);
    expect(running.logs.some((line) => line.includes('queue is on a RAM file system'))).toBe(true);
    await brokers.upstream.stop();
    await waitFor(() => running!.service.status().connection !== 'connected', 10_000, 'upstream down');
    const meters = ['d1', 'd2'];
    const t0 = Date.UTC(2026, 7, 1);
    await publishLoad(publisher, meters, 2500, { t0, perTick: 100 });
    await waitFor(() => String(running!.service.status().ingest_blocked) !== '', 15_000, 'ingest blocked');
    const blocked = running.service.status();
    expect(String(blocked.last_error)).toMatch(/disk full|ENOSPC|queue/i);
    expect((blocked.queue as { state: string }).state).toBe('queue-full');
    expect(running.events.some((e) => e.what === 'queue-full')).toBe(true);
    console.log(`disk full: last_error=${String(blocked.last_error)}`);
    const stats = (await running.service.methods().stats.handler({}, { method: 'stats' })) as { readings_in: number };
    expect(stats.readings_in).toBeLessThan(5000);
    rmSync(filler);
    await brokers.upstream.restart();
    await waitFor(() => checkDelivery(brokers.observer, meters, 2500, t0).missing === 0, 60_000, 'all readings after recovery');
    const report = checkDelivery(brokers.observer, meters, 2500, t0);
    expect(report.orderViolations).toBe(0);
    expect(String(running.service.status().ingest_blocked)).toBe('');
  }, 120_000);
});

function queueDepth(running: RunningService): number {
  const depth = (running.service.status().queue as { depth?: Record<string, number> }).depth ?? {};
  return Object.values(depth).reduce((a, b) => a + b, 0);
}
