// The simulated RCP against the real one: the host side of a capture is replayed into it and what it
// answers must be what the captured ot-rcp answered, byte for byte on the wire.
import { describe, expect, it } from 'vitest';
import { SimulatedRcp } from '../../stand-ins/rcp-sim/simulator.js';
import { loadFrames, type CapturedFrame } from './captures.js';

interface Exchange { writes: Buffer[]; replies: string[]; steps: string }

/** Host writes grouped as they were written (same t_ms = one write), with the RCP frames that followed. */
function exchanges(records: CapturedFrame[]): Exchange[] {
  const out: Exchange[] = [];
  let lastHostTime = NaN;
  for (const record of records) {
    if (record.dir === 'host2rcp') {
      const bytes = Buffer.from(record.wire_hex, 'hex');
      const byteByByte = record.probe_step?.includes('one byte at a time');
      if (record.t_ms === lastHostTime) out.at(-1)!.writes.push(bytes);
      else out.push({ writes: byteByByte ? [...bytes].map((b) => Buffer.of(b)) : [bytes], replies: [], steps: record.probe_step ?? `seq ${record.seq}` });
      lastHostTime = record.t_ms;
    } else if (out.length > 0) {
      out.at(-1)!.replies.push(record.wire_hex);
    }
  }
  return out;
}

function replay(file: string, hwaddr?: string): { got: string[][]; want: string[][]; steps: string[] } {
  const output: string[] = [];
  const rcp = new SimulatedRcp({ output: (bytes) => output.push(bytes.toString('hex')), hwaddr });
  const got: string[][] = [];
  const all = exchanges(loadFrames(file));
  for (const exchange of all) {
    output.length = 0;
    const joined = Buffer.concat(exchange.writes);
    if (exchange.writes.length > 1 && exchange.writes.every((w) => w.length === 1)) for (const w of exchange.writes) rcp.receive(w);
    else rcp.receive(joined);
    got.push(splitFrames(output.join('')));
  }
  return { got, want: all.map((e) => e.replies), steps: all.map((e) => e.steps) };
}

/** `7e..7e7e..7e` -> one string per frame, flags kept, as the capture lists them. */
function splitFrames(hex: string): string[] {
  return hex.match(/7e(?:(?!7e)[0-9a-f]{2})+7e/g) ?? [];
}

describe('simulated RCP against the captured ot-rcp', () => {
  it('answers every probe.json step as the real RCP did (resets, errors, framing errors, odd headers)', () => {
    const { got, want, steps } = replay('spinel/probe.json');
    for (let i = 0; i < want.length; i++) expect(got[i], steps[i]).toEqual(want[i]);
    expect(want.flat().length).toBeGreaterThan(40);
  });

  it('answers the OpenThread host start-up handshake and radio set-up of startup.json', () => {
    const { got, want, steps } = replay('spinel/startup.json');
    for (let i = 0; i < want.length; i++) expect(got[i], steps[i]).toEqual(want[i]);
  });
});
