/**
 * Compares what UbusClient and the ubusd stand-in put on the wire with the captured conversations, per
 * connection and in order. Run-specific values are mapped, not ignored: every id that appears in the capture
 * (client, object and type ids in the header peer, OBJID, OBJTYPE, TARGET, SUBSCRIBERS and the `object`/`id`
 * members of event messages) is bound on first sight to the id of our run, and must stay consistent after that.
 */
import { expect } from 'vitest';
import type { BlobmsgField } from '../../../src/lib/ubus/blobmsg.js';
import { decodeMessage, encodeMessage, msgTypeName, type UbusAttr, type UbusMessage } from '../../../src/lib/ubus/message.js';
import type { CapturedMessage } from '../../unit/ubus/captures.js';

export interface RecordedMessage {
  dir: 'c2s' | 's2c';
  bytes: Buffer;
}

export class IdMapper {
  private readonly forward = new Map<number, number>();
  private readonly backward = new Map<number, number>();

  map(captured: number, ours: number, where: string): number {
    const known = this.forward.get(captured);
    if (known === undefined) {
      const taken = this.backward.get(ours);
      if (taken !== undefined && taken !== captured) throw new Error(`${where}: our id ${ours.toString(16)} already stands for ${taken.toString(16)}`);
      this.forward.set(captured, ours);
      this.backward.set(ours, captured);
      return ours;
    }
    return known;
  }
}

const ID_ATTRS = new Set(['OBJID', 'OBJTYPE', 'TARGET']);
const SYSTEM_IDS = 1024;

function mapId(mapper: IdMapper, captured: number, ours: number | undefined, where: string): number {
  if (captured < SYSTEM_IDS || ours === undefined) return captured;
  return mapper.map(captured >>> 0, ours >>> 0, where);
}

function mapFields(mapper: IdMapper, captured: BlobmsgField[], ours: BlobmsgField[] | undefined, where: string): BlobmsgField[] {
  return captured.map((field, index) => {
    const mine = ours?.[index];
    if (field.type === 'int32' && (field.name === 'object' || field.name === 'id') && mine?.type === 'int32') {
      return { ...field, value: mapId(mapper, field.value >>> 0, mine.value >>> 0, `${where}.${field.name}`) | 0 };
    }
    return field;
  });
}

function mapAttrs(mapper: IdMapper, captured: UbusAttr[], ours: UbusAttr[], where: string): UbusAttr[] {
  return captured.map((item, index) => {
    const mine = ours[index];
    if (!mine || mine.name !== item.name) return item;
    if (ID_ATTRS.has(item.name)) return { ...item, value: mapId(mapper, item.value as number, mine.value as number, `${where} ${item.name}`) } as UbusAttr;
    if (item.name === 'SUBSCRIBERS') return { ...item, value: item.value.map((id, at) => mapId(mapper, id, (mine.value as number[])[at], `${where} SUBSCRIBERS`)) };
    if (item.name === 'DATA') return { ...item, value: mapFields(mapper, item.value, mine.value as BlobmsgField[], `${where} DATA`) };
    return item;
  });
}

export interface CompareOptions {
  /** Messages whose seq comes from a counter with a different history in the capture (ubusd's event counter...). */
  seqMayDiffer?: (captured: CapturedMessage) => boolean;
}

/** Asserts that `ours` is the captured conversation of one connection, byte for byte after id mapping. */
export function expectSameConversation(mapper: IdMapper, captured: CapturedMessage[], ours: RecordedMessage[], label: string, options: CompareOptions = {}): void {
  const describe = (items: { dir: string; type: string }[]): string[] => items.map((item) => `${item.dir} ${item.type}`);
  const ourDecoded = ours.map((item) => ({ dir: item.dir, message: decodeMessage(item.bytes), bytes: item.bytes }));
  expect(describe(ourDecoded.map((item) => ({ dir: item.dir, type: msgTypeName(item.message.type) }))), `${label}: message sequence`).toEqual(describe(captured));
  captured.forEach((record, index) => {
    const mine = ourDecoded[index]!;
    const where = `${label} #${index} ${record.dir} ${record.type}`;
    const theirs: UbusMessage = decodeMessage(Buffer.from(record.hex, 'hex'));
    const patched: UbusMessage = {
      type: theirs.type,
      seq: options.seqMayDiffer?.(record) ? mine.message.seq : theirs.seq,
      peer: mapId(mapper, theirs.peer, mine.message.peer, `${where} peer`),
      attrs: mapAttrs(mapper, theirs.attrs, mine.message.attrs, where),
    };
    expect(mine.bytes.toString('hex'), where).toBe(encodeMessage(patched).toString('hex'));
  });
}
