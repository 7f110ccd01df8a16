import { describe, expect, it } from 'vitest';
import { SpinelReader, SpinelWriter } from '../../../src/thread/spinel/buffer.js';
import { commandName, propertyName, SPINEL_PROPERTIES as P, statusName } from '../../../src/thread/spinel/constants.js';
import { decodeSpinelFrame, encodeSpinelFrame, SpinelFrameError } from '../../../src/thread/spinel/frame.js';
import { decodePropertyValue } from '../../../src/thread/spinel/values.js';
import { ALL_FRAME_CAPTURES, shortName, SPINEL_CAPTURES, wholeFrames, type CapturedFrame } from './captures.js';

function expectedValue(frame: CapturedFrame): unknown {
  const value = frame.value as Record<string, unknown> | unknown;
  const property = frame.property!.id;
  if (property === P.LAST_STATUS) return (value as { status_id: number }).status_id;
  if (property === P.CAPS) return (value as string[]).map((name) => shortName(name, 'SPINEL_CAP_'));
  if (property === P.RADIO_CAPS) return { value: (value as { value: number }).value, flags: (value as { flags: string[] }).flags };
  if (property === P.STREAM_DEBUG) return (value as { text: string }).text;
  if (property === P.INTERFACE_TYPE) return (value as { value: number }).value;
  if (property === P.RCP_TIMESTAMP) return BigInt(value as number);
  return value;
}

function decodedValue(frame: CapturedFrame): unknown {
  const decoded = decodePropertyValue(frame.property!.id, Buffer.from(frame.payload_hex!, 'hex'));
  if (frame.property!.id === P.LAST_STATUS) return (decoded as { status: number }).status;
  return decoded;
}

describe('Spinel frames', () => {
  it.each(ALL_FRAME_CAPTURES)('decodes header, command, property and payload of every frame in %s', (file) => {
    for (const frame of wholeFrames(file).filter((f) => f.header!.flag === 2)) {
      const decoded = decodeSpinelFrame(Buffer.from(frame.frame_hex!, 'hex'));
      const where = `seq ${frame.seq}`;
      expect(decoded.iid, where).toBe(frame.header!.iid);
      expect(decoded.tid, where).toBe(frame.header!.tid);
      expect(decoded.command, where).toBe(frame.command!.id);
      expect(decoded.property ?? null, where).toBe(frame.property?.id ?? null);
      expect(Buffer.from(decoded.payload).toString('hex'), where).toBe(frame.payload_hex);
      expect(encodeSpinelFrame(decoded).toString('hex'), where).toBe(frame.frame_hex);
      if (frame.command!.name !== 'UNKNOWN') expect(`SPINEL_CMD_${commandName(decoded.command)}`, where).toBe(frame.command!.name);
      if (frame.property && frame.property.name !== 'UNKNOWN') expect(`SPINEL_PROP_${propertyName(decoded.property!)}`, where).toBe(frame.property.name);
    }
  });

  it('rejects a header whose flag bits are not 10 (probe.json bad-flag frame), naming the bits', () => {
    const bad = wholeFrames('spinel/probe.json').find((f) => f.header!.flag !== 2)!;
    expect(() => decodeSpinelFrame(Buffer.from(bad.frame_hex!, 'hex'))).toThrow(new SpinelFrameError('header 0x41 has flag bits 01, not 10'));
  });

  it.each(SPINEL_CAPTURES)('decodes the property values %s states', (file) => {
    const withValues = wholeFrames(file).filter((f) => f.value !== undefined && f.property && decodePropertyValue(f.property.id, new Uint8Array(8)) !== undefined);
    for (const frame of withValues) {
      if (frame.property!.id === P.STREAM_RAW) continue;
      expect(decodedValue(frame), `seq ${frame.seq} ${frame.property!.name}`).toEqual(expectedValue(frame));
    }
    if (file.endsWith('probe.json')) expect(withValues.length).toBeGreaterThan(30);
  });

  it('names statuses as spinel.h does, including STACK_NATIVE (host-reset.json seq 373)', () => {
    const frame = wholeFrames('spinel/host-reset.json').find((f) => f.seq === 373)!;
    const status = decodeSpinelFrame(Buffer.from(frame.frame_hex!, 'hex'));
    const value = new SpinelReader(status.payload).packed();
    expect(value).toBe(16394);
    expect(statusName(value)).toBe('STACK_NATIVE+10');
    expect(statusName(112)).toBe('RESET_POWER_ON');
  });
});

describe('Spinel packed uints', () => {
  it.each([[0, '00'], [127, '7f'], [128, '8001'], [176, 'b001'], [0x3fff, 'ff7f'], [4619, '8b24'], [16384, '808001'], [0xffffffff, 'ffffffff0f']])('%d <-> %s', (value, hex) => {
    expect(new SpinelWriter().packed(value).toBuffer().toString('hex')).toBe(hex);
    expect(new SpinelReader(Buffer.from(hex, 'hex')).packed()).toBe(value);
  });

  it('says where a truncated or over-long value is', () => {
    expect(() => new SpinelReader(Buffer.from('8080', 'hex')).packed()).toThrow('spinel: cannot read packed uint at byte 2 of 2');
    expect(() => new SpinelReader(Buffer.from('808080808001', 'hex')).packed()).toThrow('more than 5 bytes');
    expect(() => new SpinelWriter().packed(-1)).toThrow('out of range');
  });
});
