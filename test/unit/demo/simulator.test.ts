import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { Field } from '../../../demo/field.js';
import { commercialLoadKw, residentialLoadKw } from '../../../demo/load-curve.js';
import { SimulatedModem } from '../../../demo/modem.js';

const dirs: string[] = [];
const tempDir = () => { const dir = mkdtempSync(join(tmpdir(), 'sg-sim-')); dirs.push(dir); return dir; };
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

describe('daily load curves', () => {
  it('residential demand peaks in the evening and bottoms out at night; commercial follows opening hours', () => {
    const at = (hour: number) => residentialLoadKw(hour);
    expect(at(19.5)).toBeGreaterThan(at(7.5));
    expect(at(7.5)).toBeGreaterThan(at(3));
    expect(at(3)).toBeLessThan(0.4);
    expect(commercialLoadKw(12)).toBeGreaterThan(4 * commercialLoadKw(2));
  });
});

describe('simulated field', () => {
  function fakeMqtt() {
    const published: { topic: string; payload: string }[] = [];
    return { client: { publish: (topic: string, payload: string) => { published.push({ topic, payload }); } } as unknown as MqttClient, published };
  }

  it('publishes every meter in turn on telemetry/{region}/{dcu}/{meter}, with anomalies and malformed messages at their rates', () => {
    const { client, published } = fakeMqtt();
    const field = new Field(client, { region: 'es-mad', dcus: 2, metersPerDcu: 5, intervalS: 900, anomalyRate: 0.1, malformedRate: 0.05, extraMeters: ['<b>x</b>'] });
    for (let i = 0; i < 2000; i++) field.publishNext(Date.UTC(2026, 10, 21, 18, 0, i));
    expect(new Set(published.map((message) => message.topic)).size).toBe(11);
    expect(published[0]!.topic).toMatch(/^telemetry\/es-mad\/dcu-01\/MTR-1\d{4}$/);
    expect(published.some((message) => message.topic === 'telemetry/es-mad/dcu-01/<b>x</b>')).toBe(true);
    const invalid = published.filter((message) => {
      try { const reading = JSON.parse(message.payload); return typeof reading.ts !== 'number' || 'extra' in reading; } catch { return true; }
    });
    expect(invalid.length).toBe(field.stats.malformed);
    expect(field.stats.malformed / 2000).toBeGreaterThan(0.02);
    expect(field.stats.anomalies / 2000).toBeGreaterThan(0.05);
    const energy = published.map((message) => { try { return JSON.parse(message.payload); } catch { return undefined; } })
      .filter((reading) => reading?.values?.energy_import_kwh !== undefined && published.length);
    expect(energy.length).toBeGreaterThan(100);
  });
});

describe('simulated modem behind the mmcli stand-in', () => {
  const mmcli = new URL('../../stand-ins/mmcli/mmcli.mjs', import.meta.url).pathname;
  const run = (modem: SimulatedModem, ...args: string[]) =>
    JSON.parse(execFileSync(process.execPath, [mmcli, ...args], { env: { ...process.env, MMCLI_SCENARIO: modem.scenarioPath }, encoding: 'utf8' }));

  it('answers mmcli like a connected modem, with moving counters', () => {
    const modem = new SimulatedModem(tempDir(), 'Movistar');
    expect(run(modem, '-m', '0', '-J').modem.generic.state).toBe('connected');
    expect(run(modem, '-m', '0', '-J').modem['3gpp']['operator-name']).toBe('Movistar');
    const before = Number(run(modem, '-b', '0', '-J').bearer.stats['bytes-rx']);
    modem.tick();
    expect(Number(run(modem, '-b', '0', '-J').bearer.stats['bytes-rx'])).toBeGreaterThan(before);
    expect(modem.state.online).toBe(true);
  });

  it('a hang goes offline until ModemManager is restarted; the modem then comes back with a new index', () => {
    const dir = tempDir();
    const modem = new SimulatedModem(dir);
    const { mmRestart } = modem.installCommands(join(dir, 'bin'));
    modem.fault('hang');
    expect(modem.state.online).toBe(false);
    expect(JSON.parse(readFileSync(modem.scenarioPath, 'utf8')).modems['0'].hang).toBe(true);
    execFileSync(join(dir, 'bin', 'ifup'), ['wwan']);
    modem.tick();
    expect(modem.state).toMatchObject({ condition: 'hang', online: false });
    execFileSync(mmRestart);
    modem.tick();
    expect(modem.state).toEqual({ condition: 'ok', index: 1, online: true });
    expect(run(modem, '-L')['modem-list']).toEqual(['/org/freedesktop/ModemManager1/Modem/1']);
  });

  it('a dropped bearer comes back with ifup; the ping stand-in follows the link', () => {
    const dir = tempDir();
    const modem = new SimulatedModem(dir);
    modem.installCommands(join(dir, 'bin'));
    const ping = () => { try { execFileSync(join(dir, 'bin', 'ping'), ['-c', '1', '192.0.2.1'], { stdio: 'pipe' }); return true; } catch { return false; } };
    expect(ping()).toBe(true);
    modem.fault('bearer-drop');
    expect(ping()).toBe(false);
    modem.requestIfup();
    modem.tick();
    expect(ping()).toBe(true);
    modem.fault('sim-missing');
    expect(run(modem, '-m', '0', '-J').modem.generic.state).toBe('failed');
    expect(existsSync(modem.onlineFlag)).toBe(false);
    writeFileSync(join(dir, 'requests', 'ifup'), '');
    modem.tick();
    expect(modem.state.condition).toBe('sim-missing');
  });
});
