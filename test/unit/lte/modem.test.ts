import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ProcessRunner } from '../../../src/lte/command.js';
import { assessHealth } from '../../../src/lte/health.js';
import { buildExecutors } from '../../../src/lte/ladder/actions.js';
import { Mmcli } from '../../../src/lte/modem/mmcli.js';
import { ModemTracker } from '../../../src/lte/modem/tracker.js';
import { FAILED_REASONS, MODEM_STATES } from '../../../src/lte/modem/types.js';
import type { Ubus } from '../../../src/lib/ubus/types.js';
import { bearerDoc, MM, modemDoc, signalDoc, simDoc, writeScenario, type ModemFixture, type Scenario } from '../../stand-ins/mmcli/fixtures.js';
import { FakeClock, MMCLI, readCalls, tempDir, testLogger } from './helpers.js';

const temp = tempDir();
const scenarioFile = join(temp.dir, 'scenario.json');
const callLog = join(temp.dir, 'calls.log');

function scenario(modems: ModemFixture[], extra: Partial<Scenario> = {}): Scenario {
  const out: Scenario = { manager: 'running', modems: {}, sims: {}, bearers: {}, log: callLog, ...extra };
  for (const fixture of modems) {
    out.modems[String(fixture.index)] = { modem: modemDoc(fixture), signal: signalDoc(30, { rssi: -65, rsrq: -9, rsrp: -95, snr: 12.4 }) };
    if (fixture.sim !== false) out.sims[`${MM}/SIM/${fixture.index}`] = simDoc(fixture.index);
    for (const id of fixture.bearers ?? []) out.bearers[`${MM}/Bearer/${id}`] = bearerDoc(id, fixture.state === 'connected');
  }
  return out;
}

function tracker(timeoutMs = 5000, match = ''): { tracker: ModemTracker; mmcli: Mmcli } {
  const mmcli = new Mmcli({ runner: new ProcessRunner(), binary: MMCLI, timeoutMs });
  return { mmcli, tracker: new ModemTracker(mmcli, { match }, testLogger().log) };
}

beforeAll(() => { process.env.MMCLI_SCENARIO = scenarioFile; });
afterAll(() => temp.cleanup());

describe('modem layer against the scripted mmcli', () => {
  it('reads every ModemManager state and every failed reason', async () => {
    const { tracker: watch } = tracker();
    for (const state of MODEM_STATES) {
      writeScenario(scenarioFile, scenario([{ index: 0, state, bearers: [0] }]));
      const seen = await watch.observe();
      expect(seen.kind, state).toBe('ok');
      if (seen.kind !== 'ok') continue;
      expect(seen.snapshot.modem.state).toBe(state);
      expect(seen.snapshot.modem.failedReason).toBe(state === 'failed' ? 'unknown' : null);
    }
    for (const reason of FAILED_REASONS.filter((item) => item !== 'none')) {
      writeScenario(scenarioFile, scenario([{ index: 0, state: 'failed', failedReason: reason }]));
      const seen = await watch.observe();
      expect(seen.kind === 'ok' && seen.snapshot.modem.failedReason).toBe(reason);
    }
  }, 60_000);

  it('parses a connected modem: registration, operator, signal, SIM and bearer with IP config and bytes', async () => {
    writeScenario(scenarioFile, scenario([{ index: 2, state: 'connected', registration: 'roaming', bearers: [1], quality: 58 }]));
    const seen = await tracker().tracker.observe();
    if (seen.kind !== 'ok') throw new Error(JSON.stringify(seen));
    const { modem, sim, bearers, signal } = seen.snapshot;
    expect(modem).toMatchObject({ index: 2, registration: 'roaming', operatorName: 'Telekom.de', operatorCode: '26201', powerState: 'on', signalQuality: 58, signalRecent: true, accessTechnologies: ['lte'], lock: 'sim-pin2' });
    expect(modem.unlockRetries).toEqual({ 'sim-pin': 3, 'sim-puk': 10, 'sim-pin2': 3, 'sim-puk2': 10 });
    expect(sim).toMatchObject({ active: true, iccid: '8949020000012345678' });
    expect(signal?.lte).toEqual({ rssi: -65, rsrq: -9, rsrp: -95, snr: 12.4 });
    expect(signal?.nr5g.rsrp).toBeNull();
    expect(bearers[0]).toMatchObject({ connected: true, interface: 'wwan0', apn: 'internet.telekom' });
    expect(bearers[0].ipv4).toEqual({ method: 'static', address: '10.148.20.7', prefix: 29, gateway: '10.148.20.8', dns: ['10.74.210.210', '10.74.210.211'], mtu: 1500 });
    expect(bearers[0].ipv6).toBeNull();
    expect(bearers[0].stats).toMatchObject({ bytesRx: 123456, bytesTx: 65432, attempts: 3, failedAttempts: 1 });
    expect(assessHealth(seen, 'up')).toEqual({ status: 'up' });
    expect(assessHealth(seen, 'down')).toMatchObject({ status: 'down', cause: 'probe-failed', floor: 'reconnect' });
  });

  it('reports a dropped bearer as down at the reconnect step', async () => {
    writeScenario(scenarioFile, scenario([{ index: 0, state: 'registered', bearers: [0] }]));
    const seen = await tracker().tracker.observe();
    if (seen.kind !== 'ok') throw new Error('expected ok');
    expect(seen.snapshot.bearers[0]).toMatchObject({ connected: false, interface: null, ipv4: null });
    expect(seen.snapshot.bearers[0].stats.bytesRx).toBeNull();
    expect(assessHealth(seen, 'unknown')).toMatchObject({ status: 'down', cause: 'bearer-disconnected', floor: 'reconnect' });
  });

  it('treats a missing SIM and a PIN/PUK lock as terminal, with retries in the detail', async () => {
    writeScenario(scenarioFile, scenario([{ index: 0, state: 'failed', failedReason: 'sim-missing', sim: false }]));
    const missing = await tracker().tracker.observe();
    if (missing.kind !== 'ok') throw new Error('expected ok');
    expect(missing.snapshot.sim).toBeNull();
    expect(missing.snapshot.signal).toBeNull();
    expect(assessHealth(missing, 'down')).toMatchObject({ status: 'terminal', reason: 'sim-missing' });

    writeScenario(scenarioFile, scenario([{ index: 0, state: 'locked', lock: 'sim-puk', unlockRetries: ['sim-pin (0)', 'sim-puk (9)'] }]));
    const locked = await tracker().tracker.observe();
    expect(assessHealth(locked, 'down')).toEqual({ status: 'terminal', reason: 'sim-puk-required', detail: 'SIM locked (sim-puk, 9 retries left)' });
  });

  it('follows a modem that disappears and comes back with another index, ignoring other modems', async () => {
    const { tracker: watch } = tracker();
    writeScenario(scenarioFile, scenario([{ index: 0, state: 'connected', bearers: [0] }]));
    expect((await watch.observe()).kind).toBe('ok');
    expect(watch.currentIndex).toBe(0);
    writeScenario(scenarioFile, scenario([]));
    expect(await watch.observe()).toEqual({ kind: 'absent' });
    expect(watch.currentIndex).toBeUndefined();
    writeScenario(scenarioFile, scenario([
      { index: 1, state: 'registered', equipmentId: '351111111111111', device: '/sys/devices/usb1/1-1' },
      { index: 3, state: 'connected', bearers: [2] },
    ]));
    const back = await watch.observe();
    expect(back.kind === 'ok' && back.snapshot.modem.index).toBe(3);
    expect(back.kind === 'ok' && back.snapshot.modem.equipmentId).toBe('867929068123456');
    expect(watch.currentIndex).toBe(3);
  });

  it('maps a missing ModemManager and a hanging mmcli to the right ladder floor', async () => {
    writeScenario(scenarioFile, scenario([], { manager: 'absent' }));
    const absent = await tracker().tracker.observe();
    expect(absent).toMatchObject({ kind: 'error', failure: 'manager-unavailable' });
    expect(assessHealth(absent, 'down')).toMatchObject({ cause: 'manager-unavailable', floor: 'mm_restart' });
    const scripted = scenario([{ index: 0 }]);
    scripted.modems['0'].hang = true;
    writeScenario(scenarioFile, scripted);
    const hung = await tracker(800).tracker.observe();
    expect(hung).toMatchObject({ kind: 'error', failure: 'timeout' });
    expect(assessHealth(hung, 'down')).toMatchObject({ cause: 'mmcli-timeout', floor: 'modem_reset' });
  });

  it('falls back to disable+enable when the modem does not support reset, and fails when reset is required', async () => {
    const scripted = scenario([{ index: 0, state: 'registered' }]);
    scripted.modems['0'].resetSupported = false;
    writeScenario(scenarioFile, scripted);
    const { mmcli } = tracker();
    const settings = {
      interfaceName: 'wwan', reconnectMethod: 'mmcli' as const, connectSettings: 'apn=internet', resetMethod: 'auto' as const,
      powerCycleMethod: 'none' as const, powerCycleTarget: '', powerCycleOffS: 1, gpioActiveLow: false, sysfsRoot: '/sys',
    };
    const deps = { runner: new ProcessRunner(), mmcli, ubus: {} as Ubus, clock: new FakeClock(), modemIndex: () => 0 };
    const before = readCalls(callLog).length;
    const auto = await buildExecutors(settings, deps).modem_reset!('test');
    expect(auto).toEqual({ ok: true, detail: 'reset unsupported; disabled and enabled the modem' });
    expect(readCalls(callLog).slice(before)).toEqual([['-m', '0', '--reset'], ['-m', '0', '--disable'], ['-m', '0', '--enable']]);
    const strict = await buildExecutors({ ...settings, resetMethod: 'reset' }, deps).modem_reset!('test');
    expect(strict.ok).toBe(false);
    expect(strict.detail).toMatch(/^unsupported: .*operation not supported/);
    const connect = await buildExecutors(settings, deps).reconnect!('test');
    expect(connect).toEqual({ ok: true, detail: `successfully connected the modem at bearer ${MM}/Bearer/0` });
  });
});
