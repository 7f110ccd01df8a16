import { describe, expect, it } from 'vitest';
import type { StationSample } from '../../../src/halow/hostapd/clients.js';
import { parseClients } from '../../../src/halow/hostapd/clients.js';
import { InventoryError, parseInventory } from '../../../src/halow/presence/inventory.js';
import { PresenceTracker } from '../../../src/halow/presence/tracker.js';

const DCUS = parseInventory(['dcu-01 02:4D:4D:00:00:01 feeder-1 120', 'dcu-02 02:4d:4d:00:00:02 feeder-1 80']);
const DEFAULTS = { intervalMs: 10_000, missingIntervals: 3, signalWarnDbm: -70, signalGoodDbm: -65 };

function sample(mac: string, rxPackets: number, signal = -60): StationSample {
  return { mac, associated: true, authorized: true, mfp: true, aid: 1, signal, rxBytes: rxPackets * 100, txBytes: 0, rxPackets, txPackets: 0, rxRateKbps: 150, txRateKbps: 150 };
}

describe('DCU inventory', () => {
  it('parses entries and refuses malformed or duplicate ones by option', () => {
    expect(DCUS[0]).toEqual({ name: 'dcu-01', mac: '02:4d:4d:00:00:01', site: 'feeder-1', meters: 120 });
    expect(() => parseInventory(['dcu-01 not-a-mac feeder 1'])).toThrow(InventoryError);
    expect(() => parseInventory(['a 02:00:00:00:00:01 s 1', 'a 02:00:00:00:00:02 s 1'])).toThrow("smartgrid.halow.dcus: DCU name 'a' is listed twice");
    expect(() => parseInventory(['a 02:00:00:00:00:01 s 1', 'b 02:00:00:00:00:01 s 1'])).toThrow('smartgrid.halow.dcus: MAC 02:00:00:00:00:01 is listed twice');
  });
});

describe('presence with the default 10 s interval', () => {
  it('present while heard, late after one interval, missing after 30 s, back within one interval', () => {
    const tracker = new PresenceTracker(DCUS, DEFAULTS);
    const mac = DCUS[0]!.mac;
    tracker.observe([sample(mac, 1)], 0);
    expect(tracker.evaluate(0).map((change) => change.kind === 'presence' && `${change.dcu.name}:${change.from}->${change.dcu.presence}`)).toEqual(['dcu-01:never-seen->present']);
    // Associated but silent: the packet counter stops.
    for (const t of [10_000, 20_000]) tracker.observe([sample(mac, 1)], t);
    expect(tracker.evaluate(10_000).length).toBe(0);
    expect(tracker.evaluate(20_000).map((change) => change.kind === 'presence' && change.dcu.presence)).toEqual(['late']);
    expect(tracker.evaluate(29_999)).toEqual([]);
    expect(tracker.evaluate(30_000).map((change) => change.kind === 'presence' && change.dcu.presence)).toEqual(['missing']);
    tracker.observe([sample(mac, 2)], 40_000);
    expect(tracker.evaluate(40_000).map((change) => change.kind === 'presence' && `${change.from}->${change.dcu.presence}`)).toEqual(['missing->present']);
    expect(tracker.all().find((dcu) => dcu.name === 'dcu-02')?.presence).toBe('never-seen');
  });

  it('weak-signal alarm below -70 dBm, cleared only at -65 dBm or better', () => {
    const tracker = new PresenceTracker(DCUS, DEFAULTS);
    const mac = DCUS[1]!.mac;
    const alarms: boolean[] = [];
    [-60, -72, -68, -66, -65, -69].forEach((signal, index) => {
      tracker.observe([sample(mac, index + 1, signal)], index * 1000);
      for (const change of tracker.evaluate(index * 1000)) if (change.kind === 'signal') alarms.push(change.alarm);
    });
    expect(alarms).toEqual([true, false]);
    expect(tracker.all()[1]).toMatchObject({ signal: -69, signal_class: 'fair', weak_alarm: false });
  });

  it('lists associated stations that are not in the inventory', () => {
    const tracker = new PresenceTracker(DCUS, DEFAULTS);
    tracker.observe([sample('02:99:00:00:00:09', 1)], 0);
    expect(tracker.unknownStations().map((station) => station.mac)).toEqual(['02:99:00:00:00:09']);
    expect(tracker.summary()).toMatchObject({ unknown: 1, 'never-seen': 2 });
  });
});

describe('get_clients reply', () => {
  it('reads the ubus.c shape and skips entries that are not stations', () => {
    const samples = parseClients({ freq: 5570, clients: {
      '02:4D:4D:00:00:01': { auth: true, assoc: true, authorized: true, mfp: true, aid: 3, bytes: { rx: 900, tx: 300 }, packets: { rx: 5, tx: 4 }, rate: { rx: 1500, tx: 3000 }, signal: -71 },
      bogus: { assoc: true },
    } });
    expect(samples).toEqual([{ mac: '02:4d:4d:00:00:01', associated: true, authorized: true, mfp: true, aid: 3, signal: -71, rxBytes: 900, txBytes: 300, rxPackets: 5, txPackets: 4, rxRateKbps: 1500, txRateKbps: 3000 }]);
  });
});
