import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UbusArgs } from '../../../src/lib/ubus/types.js';
import { waitUntil } from '../../helpers/ubus.js';
import { bearerDoc, MM, modemDoc, signalDoc, simDoc, type ModemFixture, type Scenario } from '../../stand-ins/mmcli/fixtures.js';
import { startLteService, type RunningLte } from './service-harness.js';

function scenario(fixture: ModemFixture): Scenario {
  return {
    manager: 'running',
    modems: { [String(fixture.index)]: { modem: modemDoc(fixture), signal: signalDoc(30, { rssi: -71, rsrq: -11, rsrp: -101, snr: 7.5 }) } },
    sims: fixture.sim === false ? {} : { [`${MM}/SIM/${fixture.index}`]: simDoc(fixture.index) },
    bearers: Object.fromEntries((fixture.bearers ?? []).map((id) => [`${MM}/Bearer/${id}`, bearerDoc(id, fixture.state === 'connected')])),
  };
}

function netifdDump(wanUp: boolean): UbusArgs {
  const route = (metric: number, nexthop: string) => [{ target: '0.0.0.0', mask: 0, nexthop, metric, source: '0.0.0.0/0' }];
  return {
    interface: [
      { interface: 'wan', up: wanUp, l3_device: 'eth1', metric: 10, route: wanUp ? route(10, '192.0.2.1') : [] },
      { interface: 'wwan', up: true, l3_device: 'wwan0', metric: 20, route: route(20, '10.148.20.8') },
    ],
  };
}

describe('smartgrid-lte service (bundled) on the ubusd stand-in with the scripted mmcli', () => {
  let lte: RunningLte;
  let wanUp = true;
  const modes: string[] = [];
  const events: Array<{ event: string; data: UbusArgs }> = [];

  beforeAll(async () => {
    lte = await startLteService({
      device: 'lo', probe_targets: ['127.0.0.1'], probe_interval: 1, probe_up: 1, probe_down: 2, poll_interval: 1,
      failure_grace: 1, reconnect_method: 'mmcli', route_source: 'ubus', route_poll_interval: 300, signal_rate: 10,
      // netifd is simulated here (eth1 and wwan0 do not exist): default routes only, as before uplink tracking.
      uplink_control: 'off',
    }, scenario({ index: 0, state: 'connected', bearers: [0] }));
    await lte.bus.client.publish('network.interface', { dump: { handler: () => netifdDump(wanUp) } });
    await lte.bus.client.publish('smartgrid.telemetry', { set_mode: { signature: { mode: 'string' }, handler: (args) => { modes.push(String(args.mode)); return { mode: args.mode }; } } });
    await lte.bus.client.listen('smartgrid.lte.*', (event, data) => events.push({ event, data }));
  }, 60_000);
  afterAll(async () => { await lte?.stop(); });

  const status = () => lte.bus.client.call('smartgrid.lte', 'status', {});

  it('reports modem, signal, SIM, bearer, probe and uplink in status', async () => {
    await waitUntil(async () => ((await status()).health as { status: string }).status === 'up', 15_000, 'health up');
    const reply = await status();
    expect(reply.modem).toMatchObject({
      state: 'connected', registration: 'home', operator_name: 'Telekom.de', signal_quality: 67, access_technologies: ['lte'],
      signal: { lte_rsrp: -101, lte_rsrq: -11, lte_rssi: -71, lte_snr: 7.5, refresh_rate: 10 },
      sim: { present: true, iccid: '894902*********5678', imsi: '26201********90' },
      bearers: [{ connected: true, interface: 'wwan0', ipv4: { address: '10.148.20.7', prefix: 29 }, stats: { bytes_rx: 123456, bytes_tx: 65432 } }],
    });
    expect(JSON.stringify(reply)).not.toMatch(/8949020000012345678|262011234567890/);
    expect(await lte.bus.client.call('smartgrid.lte', 'identity', {})).toEqual({ equipment_id: expect.any(String), iccid: '8949020000012345678', imsi: '262011234567890' });
    expect(reply.probe).toMatchObject({ method: 'icmp', verdict: 'up' });
    await waitUntil(async () => ((await status()).failover as { active_uplink: string }).active_uplink === 'wan', 5000, 'wan active');
    expect(reply.ladder).toMatchObject({ state: 'idle', next_action_at: null });
  }, 30_000);

  it('switches the forwarder to data-saving on failover and back to normal on failback, with timings', async () => {
    wanUp = false;
    await waitUntil(() => modes.includes('data-saving'), 5000, 'set_mode data-saving');
    await waitUntil(() => events.some((item) => item.event === 'smartgrid.lte.failover'), 5000, 'failover event');
    wanUp = true;
    await waitUntil(() => modes[modes.length - 1] === 'normal', 5000, 'set_mode normal');
    const failback = events.find((item) => item.event === 'smartgrid.lte.failback');
    expect(failback?.data).toMatchObject({ from: 'lte', to: 'wan' });
    expect(Number(failback?.data.outage_ms)).toBeGreaterThan(0);
    expect((await status()).failover).toMatchObject({ active_uplink: 'wan', failovers: 1 });
  }, 20_000);

  it('reconnects a dropped bearer through the ladder and keeps it in history', async () => {
    lte.setScenario(scenario({ index: 0, state: 'registered', bearers: [0] }));
    await waitUntil(() => events.some((item) => item.event === 'smartgrid.lte.action'), 15_000, 'a recovery action');
    const action = events.find((item) => item.event === 'smartgrid.lte.action')!;
    expect(action.data).toMatchObject({ step: 'reconnect', reason: 'bearer-disconnected', outcome: 'ok' });
    expect(String(action.data.detail)).toContain('successfully connected the modem');
    await waitUntil(async () => ((await status()).modem as { state: string }).state === 'connected', 10_000, 'modem connected again');
    const history = await lte.bus.client.call('smartgrid.lte', 'history', { limit: 10 });
    expect((history.entries as UbusArgs[]).map((entry) => entry.kind)).toContain('action');
  }, 30_000);

  it('reports a pulled SIM as terminal and takes no action for it', async () => {
    const before = events.filter((item) => item.event === 'smartgrid.lte.action').length;
    lte.setScenario(scenario({ index: 0, state: 'failed', failedReason: 'sim-missing', sim: false }));
    await waitUntil(async () => ((await status()).health as { status: string }).status === 'terminal', 10_000, 'terminal health');
    expect((await status()).health).toMatchObject({ status: 'terminal', reason: 'sim-missing' });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(events.filter((item) => item.event === 'smartgrid.lte.action').length).toBe(before);
    expect(events.some((item) => item.event === 'smartgrid.lte.state' && item.data.failed_reason === 'sim-missing')).toBe(true);
    expect((await status()).ladder).toMatchObject({ state: 'terminal' });
  }, 30_000);

  it('runs a manual step with a reason and rejects unknown steps', async () => {
    lte.setScenario(scenario({ index: 0, state: 'registered', bearers: [0] }));
    // A refused action replies its reason with the status (ubus alone carries only the number).
    await expect(lte.bus.client.call('smartgrid.lte', 'reset', { step: 'explode', reason: 'x' })).rejects.toMatchObject({
      status: 'INVALID_ARGUMENT', data: { ok: false, code: 'invalid-argument', message: expect.stringContaining("not 'explode'") },
    });
    await expect(lte.bus.client.call('smartgrid.lte', 'reset', { step: 'reconnect', reason: ' ' })).rejects.toMatchObject({ data: { code: 'invalid-argument', message: expect.stringContaining('reason is required') } });
    const entry = await lte.bus.client.call('smartgrid.lte', 'reset', { step: 'modem_reset', reason: 'operator request' });
    expect(entry).toMatchObject({ kind: 'action', step: 'modem_reset', reason: 'manual: operator request', outcome: 'ok', manual: true, ok: true, code: 'step-run' });
    const probe = await lte.bus.client.call('smartgrid.lte', 'probe', {});
    expect(probe).toMatchObject({ ok: true, device: 'lo', successes: 1, code: 'probed', message: '1 of 1 targets answered through lo; the link is up' });
  }, 30_000);

  it('refuses a manual reboot with reboot_enabled 0 however often asked, and an unbounded reason', async () => {
    for (let i = 0; i < 3; i++) {
      await expect(lte.bus.client.call('smartgrid.lte', 'reset', { step: 'reboot', reason: 'operator request' })).rejects.toMatchObject({ status: 'PERMISSION_DENIED' });
    }
    await expect(lte.bus.client.call('smartgrid.lte', 'reset', { step: 'reconnect', reason: 'x'.repeat(201) })).rejects.toMatchObject({ status: 'INVALID_ARGUMENT' });
    await expect(lte.bus.client.call('smartgrid.lte', 'reset', { step: 'reconnect', reason: 'two\nlines' })).rejects.toMatchObject({ status: 'INVALID_ARGUMENT' });
    const history = await lte.bus.client.call('smartgrid.lte', 'history', { limit: 500 }) as { entries: Array<{ step?: string }> };
    expect(history.entries.filter((entry) => entry.step === 'reboot')).toEqual([]);
    expect(lte.output.filter((line) => line.includes('manual recovery step refused')).length).toBe(3);
  }, 30_000);
});
