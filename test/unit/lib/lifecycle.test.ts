import { describe, expect, it } from 'vitest';
import { Daemon, type Service } from '../../../src/lib/lifecycle.js';
import { createLogger, memorySink } from '../../../src/lib/log.js';
import { MetricsRegistry } from '../../../src/lib/metrics.js';
import type { ConfigResult, ConfigSource } from '../../../src/lib/config/types.js';
import { UbusError, type PublishedObject, type Ubus, type UbusMethod } from '../../../src/lib/ubus/types.js';

class RecordingUbus implements Ubus {
  objects = new Map<string, Record<string, UbusMethod>>();
  events: Array<[string, unknown]> = [];
  async call(path: string, method: string, args: Record<string, unknown> = {}) {
    const handler = this.objects.get(path)?.[method];
    if (!handler) throw new UbusError(4, `${path}.${method}`);
    return (await handler.handler(args, { method })) ?? {};
  }
  async lookup() { return []; }
  async listen() { return { unsubscribe: async () => undefined }; }
  async send(event: string, data?: Record<string, unknown>) { this.events.push([event, data]); }
  async subscribe() { return { unsubscribe: async () => undefined }; }
  async publish(path: string, methods: Record<string, UbusMethod>): Promise<PublishedObject> {
    this.objects.set(path, methods);
    return { path, id: 1, notify: async () => undefined, remove: async () => { this.objects.delete(path); } };
  }
  async close() {}
}

class ScriptedConfig implements ConfigSource<{ interval: number }> {
  constructor(public next: ConfigResult<{ interval: number }>) {}
  async load() { return this.next; }
}

const bad: ConfigResult<{ interval: number }> = {
  ok: false,
  issues: [{ path: 'smartgrid.demo.interval', value: 'abc', rule: 'type integer', message: "smartgrid.demo.interval: 'abc' is not an integer" }],
};

function makeDaemon(config: ScriptedConfig, stopDelayMs = 0) {
  const sink = memorySink();
  const ubus = new RecordingUbus();
  const seen: number[] = [];
  let stopped = false;
  const metrics = new MetricsRegistry();
  const daemon = new Daemon<{ interval: number }>({
    name: 'demo',
    log: createLogger({ name: 'smartgrid-demo', sink }),
    metrics,
    ubus,
    config,
    stopDeadlineMs: 200,
    methods: { ping: {} },
    create: (ctx): Service<{ interval: number }> => {
      seen.push(ctx.config.interval);
      return {
        start: async () => undefined,
        stop: () => new Promise((resolve) => setTimeout(() => { stopped = true; resolve(); }, stopDelayMs)),
        reload: async (next) => { seen.push(next.interval); },
        status: () => ({ interval: seen[seen.length - 1] }),
        methods: () => ({ ping: { handler: () => ({ pong: true }) } }),
      };
    },
  });
  return { daemon, ubus, sink, seen, metrics, isStopped: () => stopped };
}

/** A daemon named demo around one hand-written service, with the config { interval: 1 }. */
function daemonAround(create: () => Service<{ interval: number }>, config = new ScriptedConfig({ ok: true, config: { interval: 1 } }), startRetry?: { initialMs: number; maxMs: number }) {
  const ubus = new RecordingUbus();
  const daemon = new Daemon<{ interval: number }>({
    name: 'demo',
    log: createLogger({ name: 'smartgrid-demo', sink: memorySink() }),
    metrics: new MetricsRegistry(),
    ubus,
    config,
    create,
    startRetry,
  });
  return { daemon, ubus };
}

describe('Daemon', () => {
  it('publishes status and declared methods, and reloads with a new config', async () => {
    const config = new ScriptedConfig({ ok: true, config: { interval: 5 } });
    const { daemon, ubus, seen, metrics } = makeDaemon(config);
    await daemon.start();
    expect(await ubus.call('smartgrid.demo', 'status')).toMatchObject({ service: 'demo', state: 'running', interval: 5 });
    metrics.counter('readings_in').inc(3);
    expect((await ubus.call('smartgrid.demo', 'status')).metrics).toEqual({ readings_in: 3 });
    expect(await ubus.call('smartgrid.demo', 'ping')).toEqual({ pong: true });
    config.next = { ok: true, config: { interval: 9 } };
    await daemon.reload();
    expect(seen).toEqual([5, 9]);
  });

  it('keeps the last good config when a reload brings a bad value and names the option', async () => {
    const config = new ScriptedConfig({ ok: true, config: { interval: 5 } });
    const { daemon, ubus, sink, seen } = makeDaemon(config);
    await daemon.start();
    config.next = bad;
    await daemon.reload();
    expect(seen).toEqual([5]);
    const status = await ubus.call('smartgrid.demo', 'status');
    expect(status.state).toBe('running');
    expect(status.config_errors).toEqual([expect.objectContaining({ path: 'smartgrid.demo.interval', value: 'abc' })]);
    expect(sink.lines.some((l) => l.startsWith('error: ') && l.includes('smartgrid.demo.interval'))).toBe(true);
  });

  it('starts in config-error without a valid config, answers NO_DATA for service methods, and recovers', async () => {
    const config = new ScriptedConfig(bad);
    const { daemon, ubus, seen } = makeDaemon(config);
    await daemon.start();
    expect(daemon.currentState).toBe('config-error');
    expect((await ubus.call('smartgrid.demo', 'status')).state).toBe('config-error');
    await expect(ubus.call('smartgrid.demo', 'ping')).rejects.toMatchObject({ status: 'NO_DATA' });
    config.next = { ok: true, config: { interval: 7 } };
    await daemon.reload();
    expect(daemon.currentState).toBe('running');
    expect(await ubus.call('smartgrid.demo', 'ping')).toEqual({ pong: true });
    expect(seen).toEqual([7]);
  });

  it('bounds stop by the deadline even when the service hangs', async () => {
    const { daemon, ubus, isStopped } = makeDaemon(new ScriptedConfig({ ok: true, config: { interval: 1 } }), 5_000);
    await daemon.start();
    const started = Date.now();
    await daemon.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(isStopped()).toBe(false);
    expect(ubus.objects.has('smartgrid.demo')).toBe(false);
    expect(daemon.currentState).toBe('stopped');
  });

  it('reports a service that fails to start over ubus and retries it on reload', async () => {
    let attempts = 0;
    const { daemon, ubus } = daemonAround(() => ({
      start: async () => { if (++attempts === 1) throw new Error('queue dir /mnt/ssd is read-only'); },
      stop: async () => undefined,
      reload: async () => undefined,
      status: () => ({ ok: true }),
    }));
    await daemon.start();
    expect(await ubus.call('smartgrid.demo', 'status')).toMatchObject({ state: 'start-failed', last_error: 'queue dir /mnt/ssd is read-only' });
    await daemon.reload();
    expect(await ubus.call('smartgrid.demo', 'status')).toMatchObject({ state: 'running', ok: true });
  });

  it('retries a failed start by itself with growing delays, stopping each failed attempt, until it runs', async () => {
    const attempts: number[] = [];
    let stops = 0;
    const { daemon, ubus } = daemonAround(() => ({
      start: async () => { attempts.push(Date.now()); if (attempts.length < 4) throw new Error('queue directory /q is locked by another running forwarder'); },
      stop: async () => { stops++; },
      reload: async () => undefined,
      status: () => ({ ok: true }),
    }), undefined, { initialMs: 40, maxMs: 400 });
    await daemon.start();
    expect(await ubus.call('smartgrid.demo', 'status')).toMatchObject({ state: 'start-failed', last_error: expect.stringContaining('locked') });
    await expect.poll(async () => (await ubus.call('smartgrid.demo', 'status')).state, { timeout: 20_000 }).toBe('running');
    expect(attempts).toHaveLength(4);
    expect(stops).toBe(3);
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
    // Jittered delays in [base/2, base] with base 40, 80, 160 ms.
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
    await daemon.stop();
  });

  it('reports a reload that fails in the service instead of hiding it', async () => {
    const { daemon, ubus } = daemonAround(() => ({
      start: async () => undefined,
      stop: async () => undefined,
      reload: async () => { throw new Error('queue directory is already open'); },
      status: () => ({}),
    }));
    await daemon.start();
    await daemon.reload();
    expect(await ubus.call('smartgrid.demo', 'status')).toMatchObject({ state: 'running', reload_error: 'queue directory is already open' });
  });
});

describe('Daemon reloads', () => {
  it('runs one reload at a time when SIGHUP and ubus reload arrive together, and applies the newest config', async () => {
    let active = 0;
    let mostActive = 0;
    const applied: number[] = [];
    const gates: Array<() => void> = [];
    const config = new ScriptedConfig({ ok: true, config: { interval: 1 } });
    const { daemon, ubus } = daemonAround(() => ({
      start: async () => undefined,
      stop: async () => undefined,
      status: () => ({}),
      reload: async (next) => {
        active += 1;
        mostActive = Math.max(mostActive, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        applied.push(next.interval);
        active -= 1;
      },
    }), config);
    await daemon.start();
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    config.next = { ok: true, config: { interval: 2 } };
    const first = daemon.reload();
    while (!gates.length) await settle();
    // While the first reload is inside the service, a SIGHUP and a ubus reload arrive at once.
    config.next = { ok: true, config: { interval: 3 } };
    const hup = daemon.reload();
    const viaUbus = ubus.call('smartgrid.demo', 'reload', {});
    await settle();
    while (applied.length < 2) {
      gates.shift()?.();
      await settle();
    }
    for (const open of gates.splice(0)) open();
    await Promise.all([first, hup, viaUbus]);
    expect(mostActive).toBe(1);
    expect(applied).toEqual([2, 3]);
  });
});
