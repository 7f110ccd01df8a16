import type { MirrorMeterReadingInput, MirrorReadingInput, MirrorReadingType, MirrorUsagePointInput } from './parse.js';

export interface MirrorMeterReadingRecord {
  index: number;
  mrid: string;
  description: string | undefined;
  readingType: MirrorReadingType | undefined;
  last: MirrorReadingInput | undefined;
  lastUpdateTime: number;
}

export interface MirrorUsagePointRecord {
  index: number;
  input: Omit<MirrorUsagePointInput, 'meterReadings'>;
  meterReadings: MirrorMeterReadingRecord[];
  changed: number;
}

export class MirrorLimitError extends Error {}

/** The MirrorUsagePoints posted to `/mup`, by mRID; indices (`/mup/<n>`) are never reused. */
export class MirrorStore {
  private readonly byMrid = new Map<string, MirrorUsagePointRecord>();
  private nextIndex = 0;

  constructor(public capacity: number) {}

  find(mrid: string): MirrorUsagePointRecord | undefined { return this.byMrid.get(mrid); }

  byIndex(index: number): MirrorUsagePointRecord | undefined {
    for (const record of this.byMrid.values()) if (record.index === index) return record;
    return undefined;
  }

  list(): MirrorUsagePointRecord[] { return [...this.byMrid.values()].sort((a, b) => a.index - b.index); }

  get size(): number { return this.byMrid.size; }

  /** Creates or updates by mRID; `created` says which (201 or 204). */
  upsert(input: MirrorUsagePointInput, now: number): { record: MirrorUsagePointRecord; created: boolean } {
    const { meterReadings, ...fields } = input;
    let record = this.byMrid.get(input.mrid);
    const created = !record;
    if (!record) {
      if (this.byMrid.size >= this.capacity) throw new MirrorLimitError(`the server keeps at most ${this.capacity} MirrorUsagePoints`);
      record = { index: this.nextIndex++, input: fields, meterReadings: [], changed: now };
      this.byMrid.set(input.mrid, record);
    }
    record.input = fields;
    record.changed = now;
    for (const meterReading of meterReadings) this.mergeMeterReading(record, meterReading, now);
    return { record, created };
  }

  /** Adds or updates one MirrorMeterReading of a mirror; `created` when its mRID is new. */
  mergeMeterReading(record: MirrorUsagePointRecord, input: MirrorMeterReadingInput, now: number): { reading: MirrorMeterReadingRecord; created: boolean } {
    let reading = record.meterReadings.find((candidate) => candidate.mrid === input.mrid);
    const created = !reading;
    if (!reading) {
      reading = { index: record.meterReadings.length, mrid: input.mrid, description: undefined, readingType: undefined, last: undefined, lastUpdateTime: now };
      record.meterReadings.push(reading);
    }
    if (input.description !== undefined) reading.description = input.description;
    if (input.readingType) reading.readingType = input.readingType;
    const latest = input.readings.reduce<MirrorReadingInput | undefined>((best, item) => (!best || (item.start ?? 0) >= (best.start ?? 0) ? item : best), undefined);
    if (latest) reading.last = latest;
    reading.lastUpdateTime = now;
    record.changed = now;
    return { reading, created };
  }

  remove(mrid: string): boolean { return this.byMrid.delete(mrid); }
}
