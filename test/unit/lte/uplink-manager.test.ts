import { describe, expect, it } from 'vitest';
import type { Ubus, UbusArgs } from '../../../src/lib/ubus/types.js';
import type { DefaultRoute } from '../../../src/lte/failover/routes.js';
import { UplinkManager, type UplinkManagerOptions } from '../../../src/lte/uplink/manager.js';
import type { SwitchRecord } from '../../../src/lte/uplink/selector.js';
import { FakeClock, ScriptedRunner, testLogger } from './helpers.js';

const routes: DefaultRoute[] = [
  { device: 'eth1', interface: 'wan', metric: 10, gateway: '192.0.2.1', usable: true },
  { device: 'wwan0', interface: 'wwan', metric: 20, gateway: '198.51.100.1', usable: true },
];

function mwan3Ubus(state: { wan: string; wwan: string }, present = true): Ubus {
  return {
    lookup: async (pattern?: string) => (present && pattern === 'mwan3' ? [{ path: 'mwan3', id: 1, type: 1, signature: {} }] : []),
    call: async (path: string) => {
      if (path !== 'mwan3') throw new Error('not found');
      return { interfaces: { wan: { status: state.wan, enabled: true, up: true, tracking: 'active', track_ip: [] }, wwan: { status: state.wwan, enabled: true, up: true, tracking: 'active', track_ip: [] } } } as UbusArgs;
    },
  } as unknown as Ubus;
}

const labAddresses = (device: string) => ({ eth1: '192.0.2.2', wwan0: '198.51.100.2' } as Record<string, string>)[device];

function manager(ubus: Ubus, runner: ScriptedRunner, switches: SwitchRecord[], events: string[], addressOf: (device: string) => string | undefined = labAddresses): UplinkManager {
  const options: UplinkManagerOptions = {
    names: { wanInterface: 'wan', lteInterface: 'wwan' }, control: 'auto',
    tracking: { targets: ['203.0.113.1'], ping: { count: 1, timeoutS: 1 }, thresholds: { failureLoss: 40, recoveryLoss: 10, failureLatencyMs: 1000, recoveryLatencyMs: 500 }, reliability: 1, down: 3, up: 3, historySize: 10 },
    intervalMs: 1000, standbyIntervalMs: 10_000, failbackHoldMs: 30_000, tableBase: 3900, resolvFile: '/nonexistent/resolv.conf.auto', dnsName: '', dnsTimeoutMs: 1000,
    runner, ubus, clock: new FakeClock(), log: testLogger().log,
    emit: (what) => events.push(what), onSwitch: (record) => switches.push(record), addressOf,
  };
  return new UplinkManager(options);
}

describe('uplink manager with mwan3 installed', () => {
  it("follows mwan3's verdicts, never probes or touches routes itself, and still reports each switch", async () => {
    const state = { wan: 'online', wwan: 'online' };
    const runner = new ScriptedRunner();
    const switches: SwitchRecord[] = [];
    const events: string[] = [];
    const uplinks = manager(mwan3Ubus(state), runner, switches, events);
    await uplinks.refresh();
    expect(uplinks.control).toBe('mwan3');
    expect(uplinks.observeRoutes(routes).active).toBe('wan');
    state.wan = 'offline';
    await uplinks.refresh();
    expect(uplinks.observeRoutes(routes).active).toBe('lte');
    expect(await uplinks.probeDue()).toBe(false);
    await uplinks.apply();
    state.wan = 'online';
    await uplinks.refresh();
    expect(uplinks.observeRoutes(routes).active).toBe('wan');
    expect(runner.calls, 'no ping and no ip call: mwan3 owns tracking and routes').toEqual([]);
    expect(switches.map((record) => [record.to, record.cause])).toEqual([['lte', 'WAN offline (mwan3: offline)'], ['wan', 'WAN online for 0 s (failback hold 0 s)']]);
    expect(events).toEqual(['uplink.switch', 'uplink.switch']);
  });

  it('without mwan3 it owns the routes and probes through each device', async () => {
    const runner = new ScriptedRunner((line) => (line.startsWith('ping') ? { stdout: '1 packets transmitted, 1 received, 0% packet loss\nrtt min/avg/max/mdev = 5/5/5/0 ms' } : line.includes('rule show') ? { stdout: '[]' } : {}));
    const uplinks = manager(mwan3Ubus({ wan: 'online', wwan: 'online' }, false), runner, [], []);
    await uplinks.refresh();
    expect(uplinks.control).toBe('ip');
    uplinks.observeRoutes(routes);
    await uplinks.probeDue();
    await uplinks.apply();
    expect(runner.calls.filter((call) => call.startsWith('ping')).map((call) => /-I (\S+)/.exec(call)?.[1]).sort()).toEqual(['eth1', 'wwan0']);
    expect(runner.calls).toContain('ip -4 route replace default via 192.0.2.1 dev eth1 table 3900');
    expect(runner.calls).toContain('ip -4 rule add pref 3909 lookup 3900');
  });
});

describe('uplink status', () => {
  it('is plain data: no tracker internals', async () => {
    const uplinks = manager(mwan3Ubus({ wan: 'online', wwan: 'online' }, false), new ScriptedRunner(() => ({ stdout: '[]' })), [], []);
    await uplinks.refresh();
    uplinks.observeRoutes(routes);
    const wan = (uplinks.status().uplinks as Record<string, Record<string, unknown>>).wan!;
    expect(Object.keys(wan).sort()).toEqual(['address', 'cause', 'device', 'dns', 'gateway', 'interface', 'latency_ms', 'loss', 'mwan3', 'resolvers', 'rounds', 'since', 'state', 'usable']);
  });
});

describe('uplinks that cannot carry traffic', () => {
  it('a device without an IPv4 address is never probed and gets no policy route; its route alone decides', async () => {
    const runner = new ScriptedRunner(() => ({ stdout: '[]' }));
    const options = { wan: 'online', wwan: 'online' };
    const uplinks = manager(mwan3Ubus(options, false), runner, [], [], () => undefined);
    await uplinks.refresh();
    uplinks.observeRoutes(routes);
    await uplinks.probeDue();
    await uplinks.apply();
    expect(runner.calls).toEqual([]);
    expect(uplinks.status()).toMatchObject({ active: 'wan', uplinks: { wan: { state: 'unknown', usable: false } } });
    expect(uplinks.observeRoutes(routes.slice(1)).active).toBe('lte');
  });
});
