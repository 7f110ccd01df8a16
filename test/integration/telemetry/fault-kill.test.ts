import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForwarder, spawnForwarder, type ForwarderProcess } from './child.js';
import { DEFAULTS, localPublisher, startBrokers, waitFor, type Brokers } from './harness.js';
import { checkDelivery, publishLoad } from './load.js';

describe('fault: kill -9 of the forwarder process during load', () => {
  let brokers: Brokers;
  let work: string;
  let current: ForwarderProcess | undefined;

  beforeAll(async () => {
    brokers = await startBrokers();
    work = mkdtempSync(join(tmpdir(), 'sg-kill-'));
  });

  afterAll(async () => {
    await current?.kill9();
    await brokers?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('loses no accepted reading and resends a bounded number after repeated SIGKILLs', async () => {
    const bundle = await bundleForwarder(work);
    const config = {
      ...DEFAULTS, broker_port: brokers.local.port, queue_dir: join(work, 'queue'), upstream_host: 'localhost', upstream_port: brokers.upstream.tlsPort,
      upstream_ca_file: brokers.certs.caCert, upstream_client_id: 'gw-kill', backoff_initial_ms: 100, backoff_max_ms: 500, max_inflight: 2, batch_max_readings: 200,
      log_level: 'warn' as const,
    };
    current = spawnForwarder(bundle, config, work);
    await current.ready;
    const publisher = await localPublisher(brokers.local);
    const meters = ['k1', 'k2', 'k3', 'k4'];
    const perMeter = 2000;
    const t0 = Date.UTC(2026, 5, 1);
    // Six kill -9s spread over the load by progress, not by the clock: the count must not depend on
    // how fast this machine is (kills still pending when the publishing ends happen during the drain).
    const KILLS = 6;
    const total = meters.length * perMeter;
    let kills = 0;
    let sent = 0;
    let progressed: (() => void) | undefined;
    const killer = (async () => {
      for (let k = 1; k <= KILLS; k++) {
        while (sent < Math.floor((k * total) / (KILLS + 1))) await new Promise<void>((resolve) => { progressed = resolve; });
        await current!.kill9();
        kills++;
        current = spawnForwarder(bundle, config, work);
        await current.ready;
      }
    })();
    const started = Date.now();
    await publishLoad(publisher, meters, perMeter, { t0, perTick: 40, tickMs: 20, onProgress: (count) => { sent = count; progressed?.(); } });
    const publishMs = Date.now() - started;
    await killer;
    await waitFor(() => checkDelivery(brokers.observer, meters, perMeter, t0).missing === 0, 60_000, 'every reading upstream');
    const report = checkDelivery(brokers.observer, meters, perMeter, t0);
    // Per kill at most what was in flight brokers.upstream plus what the broker had delivered but not got PUBACK for.
    const bound = kills * (config.max_inflight * config.batch_max_readings + 1000);
    console.log(`kill -9: publish took ${publishMs} ms, total ${Date.now() - started} ms, kills=${kills} readings=${meters.length * perMeter} delivered=${report.delivered} duplicates=${report.duplicates} (bound ${bound})`);
    expect(kills).toBe(KILLS);
    expect(report.missing).toBe(0);
    expect(report.orderViolations).toBe(0);
    expect(report.duplicates).toBeLessThanOrEqual(bound);
    await publisher.endAsync(true);
    await current.terminate();
  }, 120_000);
});
