import { readdirSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../../../src/lib/log.js';
import { DiskQueue } from '../../../src/telemetry/queue/index.js';
import { tempDir } from '../../unit/telemetry-queue/queue-helpers.js';
import { startBrokers, startService, upstreamConfig, waitFor, type Brokers, type RunningService, serviceReady } from './harness.js';

/** A queue dir whose oldest segment was cut inside a record: readings lost that the broker had been told were safe. */
async function damagedQueue(dir: string): Promise<void> {
  const queue = await DiskQueue.open({ dir, log: createLogger({ name: 'prefill', sink: memorySink() }), segmentBytes: 64 * 1024, fsyncIntervalMs: 1 });
  const t0 = Date.UTC(2026, 3, 1);
  for (let i = 0; i < 3000; i += 100) {
    await queue.append(Array.from({ length: 100 }, (_, j) => ({ priority: 'telemetry' as const, key: 'lossy', payload: Buffer.from(JSON.stringify({ ts: t0 + (i + j) * 1000, values: { energy_import_kwh: i + j } })) })));
  }
  await queue.close();
  const oldest = join(dir, readdirSync(dir).filter((name) => name.endsWith('.log')).sort()[0]!);
  const bytes = readFileSync(oldest);
  truncateSync(oldest, bytes.indexOf('"energy_import_kwh":10}') + 5);
}

describe('readings lost with a damaged queue file are reported', () => {
  let brokers: Brokers;
  let running: RunningService;
  const temp = tempDir('sg-loss-');

  beforeAll(async () => {
    brokers = await startBrokers();
    await damagedQueue(temp.dir);
    running = await startService({ broker_port: brokers.local.port, queue_dir: temp.dir, broker_client_id: 'fw-loss', ...upstreamConfig(brokers.upstream, brokers.certs), upstream_client_id: 'gw-loss' });
    await waitFor(() => serviceReady(running), 15_000, 'ready');
  });

  afterAll(async () => {
    await running?.stop();
    await brokers?.close();
    temp.remove();
  });

  it('in the log, in status and as a gateway alarm upstream, with the time range', async () => {
    const lost = (running.service.status().queue as { lost?: { records: number; ranges: Array<{ count: number; from: number; to: number }> } }).lost;
    expect(lost?.records).toBeGreaterThan(100);
    expect(lost!.ranges[0]!.from).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 600);
    expect(running.logs.some((line) => line.includes('queued records lost in damaged segments') && line.includes(`${lost!.records} enqueued`))).toBe(true);
    expect(running.events.some((event) => event.what === 'queue-loss' && event.data?.records === lost!.records)).toBe(true);
    await waitFor(() => (brokers.observer.telemetry.get('gw-loss')?.length ?? 0) > 0, 15_000, 'loss alarm upstream');
    const alarm = brokers.observer.telemetry.get('gw-loss')![0]!;
    expect(alarm.values).toMatchObject({ alarm_rule: 'queue-loss', alarm_value: lost!.records });
    expect(String(alarm.values.alarm_reason)).toContain(`${lost!.records} queued records lost`);
    // What survived the damage is still delivered.
    await waitFor(() => (brokers.observer.telemetry.get('lossy')?.length ?? 0) + lost!.records >= 3000, 30_000, 'survivors delivered');
  }, 60_000);
});
