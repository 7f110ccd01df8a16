import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Mosquitto } from '../../helpers/mosquitto.js';
import { startService, waitFor, serviceReady, type RunningService } from './harness.js';

/** The retry delays the forwarder logged since `from` (one per failed attempt). */
function retryDelays(running: RunningService, from: number): number[] {
  return running.logs.slice(from).filter((line) => line.includes('cannot connect to ThingsBoard, retrying')).map((line) => Number(/retry_ms[=:"]+(\d+)/.exec(line)?.[1] ?? NaN));
}

describe('reconnect after a long upstream outage', () => {
  let local: Mosquitto;
  let upstream: Mosquitto;
  let running: RunningService;

  beforeAll(async () => {
    local = await startMosquitto();
    upstream = await startMosquitto();
    running = await startService({
      broker_port: local.port, upstream_host: '127.0.0.1', upstream_port: upstream.port, upstream_tls: false,
      backoff_initial_ms: 100, backoff_max_ms: 60_000,
    });
    await waitFor(() => serviceReady(running), 15_000, 'service connected');
  });

  afterAll(async () => {
    await running?.stop();
    await upstream?.dispose();
    await local?.dispose();
  });

  it('is back within 5 s of the upstream returning, though the backoff grew past 10 s, with full attempts still spaced exponentially', async () => {
    const mark = running.logs.length;
    await upstream.stop();
    await waitFor(() => retryDelays(running, mark).some((delay) => delay >= 10_000), 60_000, 'a retry delay of 10 s or more');
    const delays = retryDelays(running, mark);
    // Not hammering: the full attempts so far doubled their spacing (jitter keeps each in [base/2, base]).
    expect(delays.length).toBeLessThanOrEqual(9);
    for (let i = 1; i < delays.length; i++) expect(delays[i], `delay ${i}`).toBeGreaterThanOrEqual(Math.min(60_000, 100 * 2 ** i) / 2);
    const back = Date.now();
    await upstream.restart();
    await waitFor(() => running.service.status().connection === 'connected', 30_000, 'reconnected');
    const ms = Date.now() - back;
    console.log(`reconnected ${ms} ms after the upstream returned (last backoff ${delays[delays.length - 1]} ms)`);
    expect(ms).toBeLessThan(5_000);
  }, 90_000);
});
