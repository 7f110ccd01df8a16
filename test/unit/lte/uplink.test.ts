import { describe, expect, it } from 'vitest';
import { parseResolvAuto } from '../../../src/lib/net/resolv-auto.js';
import { parseMwan3Interfaces } from '../../../src/lte/uplink/mwan3.js';
import { parsePingSummary, pingThrough, type TargetSample } from '../../../src/lte/uplink/ping.js';
import { judgeTarget, targetPasses } from '../../../src/lte/uplink/quality.js';
import { chooseUplink } from '../../../src/lte/uplink/selector.js';
import { UplinkTracker, type TrackingSettings } from '../../../src/lte/uplink/tracker.js';
import { FakeClock, ScriptedRunner } from './helpers.js';

const thresholds = { failureLoss: 40, recoveryLoss: 10, failureLatencyMs: 1000, recoveryLatencyMs: 500 };
const sample = (loss: number, latencyMs?: number): TargetSample => ({ target: 't', sent: 10, received: Math.round(10 - loss / 10), loss, latencyMs });

describe('ping through an uplink device', () => {
  it('reads sent, received, loss and average rtt from iputils and busybox summaries', () => {
    expect(parsePingSummary('a', '3 packets transmitted, 2 received, 33% packet loss, time 402ms\nrtt min/avg/max/mdev = 10.1/20.5/30.2/4.0 ms'))
      .toEqual({ target: 'a', sent: 3, received: 2, loss: 33, latencyMs: 20.5 });
    expect(parsePingSummary('b', '3 packets transmitted, 3 packets received, 0% packet loss\nround-trip min/avg/max = 0.1/0.2/0.3 ms'))
      .toEqual({ target: 'b', sent: 3, received: 3, loss: 0, latencyMs: 0.2 });
    expect(parsePingSummary('c', '3 packets transmitted, 0 received, 100% packet loss, time 2040ms')).toEqual({ target: 'c', sent: 3, received: 0, loss: 100, latencyMs: undefined });
  });

  it('binds ping to the device and bounds the round; a missing ping is an error, not a pass', async () => {
    const runner = new ScriptedRunner(() => ({ stdout: '3 packets transmitted, 3 received, 0% packet loss\nrtt min/avg/max/mdev = 1/2/3/0 ms' }));
    await pingThrough('eth1', '10.0.0.1', { count: 3, timeoutS: 1 }, runner);
    expect(runner.calls).toEqual(['ping -n -q -I eth1 -c 3 -i 0.2 -W 1 -w 2 10.0.0.1']);
    const missing = new ScriptedRunner(() => ({ code: null, spawnError: 'spawn ping ENOENT' }));
    expect(await pingThrough('eth1', '10.0.0.1', { count: 1, timeoutS: 1 }, missing)).toMatchObject({ loss: 100, received: 0, error: 'spawn ping ENOENT' });
  });
});

describe('loss and latency thresholds with hysteresis', () => {
  it('fails an online link only at the failure thresholds and recovers an offline one only within the recovery ones', () => {
    expect(judgeTarget(sample(50, 20), thresholds)).toBe('bad');
    expect(judgeTarget(sample(0, 1200), thresholds)).toBe('bad');
    expect(judgeTarget(sample(20, 20), thresholds)).toBe('between');
    expect(judgeTarget(sample(0, 40), thresholds)).toBe('good');
    expect(targetPasses(sample(20, 700), thresholds, true)).toBe(true);
    expect(targetPasses(sample(20, 700), thresholds, false)).toBe(false);
  });
});

const settings: TrackingSettings = { targets: ['a', 'b', 'c'], ping: { count: 3, timeoutS: 1 }, thresholds, reliability: 2, down: 3, up: 3, historySize: 30 };

describe('uplink tracker', () => {
  it('goes offline after `down` failed rounds and online after `up` passed ones, naming the cause', async () => {
    const clock = new FakeClock();
    let loss = 0;
    const tracker = new UplinkTracker({ role: 'wan', settings, runner: new ScriptedRunner(), clock,
      ping: async (_device, target) => ({ target, sent: 3, received: loss === 100 ? 0 : 3, loss, latencyMs: loss === 100 ? undefined : 5 }) });
    tracker.device = 'wan';
    const states: string[] = [];
    const round = async () => { await tracker.probe('schedule'); states.push(tracker.state); };
    for (let i = 0; i < 3; i++) await round();
    loss = 100;
    for (let i = 0; i < 3; i++) await round();
    expect(tracker.cause).toBe('blackhole: no reply in 3 rounds');
    loss = 0;
    for (let i = 0; i < 3; i++) await round();
    expect(states).toEqual(['unknown', 'unknown', 'online', 'online', 'online', 'offline', 'offline', 'offline', 'online']);
    expect(tracker.cause).toMatch(/^3 good rounds \(loss 0%, latency 5 ms\)$/);
  });

  it('keeps a degraded link offline while it hovers between the thresholds: one switch, no flap', () => {
    const tracker = new UplinkTracker({ role: 'wan', settings: { ...settings, down: 2, up: 2 }, runner: new ScriptedRunner(), clock: new FakeClock() });
    const round = (loss: number, latency: number) => tracker.record(['a', 'b', 'c'].map((target) => ({ ...sample(loss, latency), target })), 'schedule');
    round(0, 10); round(0, 10);
    round(50, 900); round(50, 900);
    expect(tracker.state).toBe('offline');
    expect(tracker.cause).toMatch(/^degraded: 2 failed rounds, loss 50%/);
    for (let i = 0; i < 20; i++) round(20, 700);
    expect(tracker.state).toBe('offline');
    tracker.linkDown('no usable default route');
    expect(tracker.state).toBe('offline');
  });

  it('a link without a device is down at once', async () => {
    const tracker = new UplinkTracker({ role: 'lte', settings, runner: new ScriptedRunner(), clock: new FakeClock() });
    expect(await tracker.probe('schedule')).toMatchObject({ role: 'lte', from: 'unknown', to: 'offline', cause: 'link down: no network device' });
  });
});

describe('uplink choice', () => {
  const view = (state: 'unknown' | 'online' | 'offline', since = 0, cause = 'x') => ({ state, since, cause });
  it('prefers the WAN, fails over when it is offline, and fails back only after the hold', () => {
    expect(chooseUplink('none', view('unknown'), view('unknown'), 0, 30_000).uplink).toBe('wan');
    expect(chooseUplink('wan', view('offline', 0, 'blackhole'), view('online'), 0, 30_000)).toEqual({ uplink: 'lte', reason: 'WAN offline (blackhole)' });
    expect(chooseUplink('lte', view('online', 1000), view('online'), 20_000, 30_000).uplink).toBe('lte');
    expect(chooseUplink('lte', view('online', 1000), view('online'), 31_000, 30_000).uplink).toBe('wan');
    expect(chooseUplink('lte', view('online', 1000), view('offline'), 2000, 30_000).uplink).toBe('wan');
    expect(chooseUplink('lte', view('offline'), view('offline'), 0, 30_000).uplink).toBe('lte');
  });
});

describe('netifd and mwan3 state', () => {
  it("reads each interface's DNS servers from resolv.conf.auto", () => {
    const servers = parseResolvAuto('# Interface wan\nnameserver 192.0.2.53\nnameserver 2001:db8::1\nsearch lan\n# Interface wwan\nnameserver 10.64.0.1\n');
    expect([...servers]).toEqual([['wan', ['192.0.2.53']], ['wwan', ['10.64.0.1']]]);
  });

  it('reads mwan3 status interfaces (rpcd ucode plugin shape)', () => {
    const reply = { interfaces: {
      wan: { age: 3, online: 120, offline: 0, uptime: 130, score: 8, lost: 0, turn: 40, status: 'online', enabled: true, running: true, tracking: 'active', up: true,
        track_ip: [{ ip: '1.1.1.1', status: 'up', latency: 12, packetloss: 0 }, { ip: '8.8.8.8', status: 'up', latency: 14, packetloss: 20 }] },
      wwan: { status: 'offline', enabled: true, running: true, tracking: 'active', up: true, track_ip: [{ ip: '1.1.1.1', status: 'down', latency: 0, packetloss: 100 }] },
    } };
    expect(parseMwan3Interfaces(reply)).toEqual([
      { name: 'wan', status: 'online', enabled: true, up: true, tracking: 'active', loss: 20, latencyMs: 13 },
      { name: 'wwan', status: 'offline', enabled: true, up: true, tracking: 'active', loss: 100, latencyMs: undefined },
    ]);
    expect(() => parseMwan3Interfaces({})).toThrow('mwan3 status: no interfaces object');
  });
});
