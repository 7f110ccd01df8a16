import { describe, expect, it } from 'vitest';
import { HdlcDecoder } from '../../../src/thread/hdlc/decoder.js';
import { encodeHdlcFrame } from '../../../src/thread/hdlc/encoder.js';
import { fcs16 } from '../../../src/thread/hdlc/fcs.js';
import { ALL_FRAME_CAPTURES, loadFrames, statedFcs, wholeFrames } from './captures.js';

function decodeAll(chunks: Buffer[]): { frames: string[]; decoder: HdlcDecoder } {
  const decoder = new HdlcDecoder();
  const frames: string[] = [];
  decoder.on('data', (frame: Buffer) => frames.push(frame.toString('hex')));
  for (const chunk of chunks) decoder.write(chunk);
  return { frames, decoder };
}

describe('FCS-16 (CRC-16/X.25)', () => {
  it('has the check value 0x906E for "123456789"', () => {
    expect(fcs16(Buffer.from('123456789'))).toBe(0x906e);
  });

  it.each(ALL_FRAME_CAPTURES)('matches the FCS of every frame in %s', (file) => {
    for (const frame of wholeFrames(file)) {
      const computed = fcs16(Buffer.from(frame.frame_hex!, 'hex'));
      expect(computed === statedFcs(file, frame), `seq ${frame.seq}`).toBe(frame.fcs_ok);
    }
  });
});

describe('HDLC-lite encoder', () => {
  it.each(ALL_FRAME_CAPTURES)('writes every valid frame of %s byte for byte as OpenThread did', (file) => {
    for (const frame of wholeFrames(file).filter((f) => f.fcs_ok)) {
      expect(encodeHdlcFrame(Buffer.from(frame.frame_hex!, 'hex')).toString('hex'), `seq ${frame.seq}`).toBe(frame.wire_hex);
    }
  });

  it('escapes 7E 7D 11 13 F8 and nothing else', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const wire = encodeHdlcFrame(all);
    const escapedValues: number[] = [];
    for (let i = 1; i < wire.length - 1; i++) if (wire[i] === 0x7d) escapedValues.push(wire[++i]! ^ 0x20);
    expect(escapedValues.slice(0, 5)).toEqual([0x11, 0x13, 0x7d, 0x7e, 0xf8]);
  });
});

describe('HDLC-lite decoder', () => {
  it.each(ALL_FRAME_CAPTURES)('recovers every valid frame of %s from the whole stream, whole and byte by byte', (file) => {
    const records = loadFrames(file);
    const stream = Buffer.concat(records.map((r) => Buffer.from(r.wire_hex, 'hex')));
    const expected = records.filter((r) => r.frame_hex !== undefined && r.fcs_ok).map((r) => r.frame_hex);
    expect(decodeAll([stream]).frames).toEqual(expected);
    const bytes = [...stream].map((b) => Buffer.of(b));
    expect(decodeAll(bytes).frames).toEqual(expected);
  });

  it('drops the host frames of probe.json the RCP reported as framing errors (bad FCS, garbage between frames), keeps the rest', () => {
    const records = loadFrames('spinel/probe.json');
    const hostBytes = records.filter((r) => r.dir === 'host2rcp').map((r) => Buffer.from(r.wire_hex, 'hex'));
    const { frames, decoder } = decodeAll(hostBytes);
    const rcpFramingErrors = records.filter((r) => JSON.stringify(r.value ?? '').includes('Framing error')).length;
    expect(rcpFramingErrors).toBe(2);
    expect(decoder.counters.badFcs).toBe(rcpFramingErrors);
    expect(decoder.counters.garbageBytes).toBe(0);
    expect(frames).toContain(records.find((r) => r.probe_step?.includes('one byte at a time'))!.frame_hex);
    const garbageFirst = decodeAll([Buffer.from('0055aa', 'hex'), encodeHdlcFrame(Buffer.from('8402', 'hex'))]);
    expect(garbageFirst.decoder.counters.garbageBytes).toBe(3);
    expect(garbageFirst.frames).toEqual(['8402']);
  });

  it('treats an empty frame between flags as nothing and a one-byte frame as a bad length', () => {
    const { frames, decoder } = decodeAll([Buffer.from('7e7e7e7e01027e', 'hex'), encodeHdlcFrame(Buffer.from('8100', 'hex'))]);
    expect(frames).toEqual(['8100']);
    expect(decoder.counters.badLength).toBe(1);
    expect(decoder.counters.badFcs).toBe(0);
  });

  it('drops an oversized frame and resynchronises on the next flag', () => {
    const oversized = Buffer.concat([Buffer.of(0x7e), Buffer.alloc(2000, 0x41)]);
    const { frames, decoder } = decodeAll([oversized, encodeHdlcFrame(Buffer.from('810201', 'hex'))]);
    expect(frames).toEqual(['810201']);
    expect(decoder.counters.badLength).toBe(1);
  });
});
