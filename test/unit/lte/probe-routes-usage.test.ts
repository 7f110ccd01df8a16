import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { activeUplink, parseInterfaceDump, parseIpRoutes } from '../../../src/lte/failover/routes.js';
import { buildDnsQuery, probeIcmp } from '../../../src/lte/probe/methods.js';
import { Prober } from '../../../src/lte/probe/prober.js';
import { UsageMeter } from '../../../src/lte/usage/meter.js';
import { periodStart } from '../../../src/lte/usage/period.js';
import { ScriptedRunner, tempDir } from './helpers.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

describe('probe hysteresis (mwan3 up/down counts)', () => {
  it('needs `down` failed rounds to go down and `up` good rounds to come back; reliability counts targets', async () => {
    let answering = new Set(['a', 'b']);
    const prober = new Prober({
      targets: ['a', 'b', 'c'].map((target) => ({ method: 'icmp' as const, target })), reliability: 2, down: 3, up: 2,
      context: { device: 'wwan0', timeoutMs: 100, dnsName: 'x', runner: new ScriptedRunner() },
      run: async (target) => ({ target: target.target, method: 'icmp', ok: answering.has(target.target) }),
    });
    const verdicts: string[] = [];
    const step = async () => verdicts.push((await prober.round()).verdict);
    await step(); await step();
    answering = new Set(['a']);
    await step(); await step(); await step();
    answering = new Set(['a', 'c']);
    await step(); await step();
    expect(verdicts).toEqual(['unknown', 'up', 'up', 'up', 'down', 'down', 'up']);
  });

  it('pings through the LTE device and reads the rtt', async () => {
    const runner = new ScriptedRunner((line) => (line.includes('-I wwan0') ? { stdout: 'rtt min/avg/max/mdev = 41.2/42.5/43.1/0.1 ms' } : { code: 1 }));
    expect(await probeIcmp('1.1.1.1', { device: 'wwan0', timeoutMs: 2000, dnsName: '', runner })).toEqual({ target: '1.1.1.1', method: 'icmp', ok: true, rttMs: 42.5 });
    expect(runner.calls).toEqual(['ping -n -q -c 1 -W 2 -I wwan0 1.1.1.1']);
  });

  it('builds a DNS query for an A record', () => {
    expect(buildDnsQuery(0x1234, 'openwrt.org').toString('hex')).toBe('123401000001000000000000076f70656e777274036f72670000010001');
  });
});

describe('default routes', () => {
  it('reads ip -j route and picks the lowest usable metric', () => {
    const routes = parseIpRoutes(JSON.stringify([
      { dst: 'default', gateway: '10.10.1.1', dev: 'wan', metric: 10, flags: ['linkdown'] },
      { dst: 'default', gateway: '10.20.1.1', dev: 'lte', metric: 20, flags: [] },
      { dst: '10.10.1.0/24', dev: 'wan', flags: [] },
    ]));
    expect(routes).toHaveLength(2);
    expect(activeUplink(routes, { wanInterface: 'wan', lteInterface: 'wwan', wanDevice: 'wan', lteDevice: 'lte' })).toEqual({ active: 'lte', wanUp: false, lteUp: true });
  });

  it('reads the netifd interface dump', () => {
    const routes = parseInterfaceDump({ interface: [
      { interface: 'wan', up: true, l3_device: 'eth1', route: [{ target: '0.0.0.0', mask: 0, nexthop: '192.0.2.1', metric: 10 }] },
      { interface: 'wwan', up: true, l3_device: 'wwan0', route: [{ target: '0.0.0.0', mask: 0, nexthop: '10.0.0.1', metric: 20 }] },
      { interface: 'lan', up: true, l3_device: 'br-lan', route: [] },
    ] });
    expect(activeUplink(routes, { wanInterface: 'wan', lteInterface: 'wwan' }).active).toBe('wan');
  });
});

describe('data usage', () => {
  const day = (d: number, h = 12) => new Date(2026, 10, d, h).getTime();

  it('counts deltas across counter resets, per day and per period, with warning and hard limit once each', async () => {
    const file = join(temp.dir, 'usage.json');
    const meter = new UsageMeter({ stateFile: file, resetDay: 15, quotaBytes: 1000, warningPercent: 80 }, day(10));
    await meter.load(day(10));
    expect(meter.record(100, 50, day(10))).toBeUndefined();
    expect(meter.record(400, 150, day(10))).toBeUndefined();
    expect(meter.record(700, 250, day(11))).toEqual({ level: 'warning', used: 800, quota: 1000 });
    expect(meter.record(50, 10, day(11))).toBeUndefined();
    expect(meter.record(200, 10, day(11))).toEqual({ level: 'exceeded', used: 1010, quota: 1000 });
    expect(meter.record(300, 10, day(12))).toBeUndefined();
    expect(meter.days()).toEqual([
      { day: '2026-11-10', rx_bytes: 300, tx_bytes: 100 },
      { day: '2026-11-11', rx_bytes: 500, tx_bytes: 110 },
      { day: '2026-11-12', rx_bytes: 100, tx_bytes: 0 },
    ]);
    await meter.save();
    const reloaded = new UsageMeter({ stateFile: file, resetDay: 15, quotaBytes: 1000, warningPercent: 80 }, day(13));
    await reloaded.load(day(13));
    expect(reloaded.level).toBe('exceeded');
    expect(reloaded.status(day(13))).toMatchObject({ used_bytes: 1110, level: 'exceeded', period_start: periodStart(day(13), 15) });
    reloaded.record(300, 10, day(15, 1));
    expect(reloaded.status(day(15, 1))).toMatchObject({ used_bytes: 0, level: 'ok', period_start: new Date(2026, 10, 15).getTime() });
  });
});
