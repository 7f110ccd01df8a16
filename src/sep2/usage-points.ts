import type { Reading } from '../telemetry/ingest/normalize.js';
import { mridFor } from './mrid.js';
import { readingKindOf, readingValue, type ReadingKind } from './resources/reading-type.js';

/** One measured quantity of a meter: a 2030.5 MeterReading with its ReadingType and latest Reading. */
export interface MeterReadingRecord {
  index: number;
  key: string;
  mrid: string;
  type: ReadingKind;
  value: number;
  /** Seconds since 1970 of the reading. */
  time: number;
  changed: number;
}

/** One meter the gateway serves: a 2030.5 UsagePoint. */
export interface UsagePointRecord {
  index: number;
  meter: string;
  mrid: string;
  /** LFDI of the device that mirrors it, for meters that reach the gateway through /mup. */
  deviceLfdi?: string;
  readings: MeterReadingRecord[];
  changed: number;
}

/** The UsagePoints built from the readings the gateway receives; indices are stable for the process's life. */
export class UsagePointStore {
  private readonly byMeter = new Map<string, UsagePointRecord>();
  private readonly ordered: UsagePointRecord[] = [];

  constructor(private readonly pen: number, private readonly maxMeters = 100_000) {}

  /** Takes a normalised reading; returns how many of its values were kept (values without a unit are not). */
  ingest(reading: Reading, deviceLfdi?: string): number {
    const point = this.pointFor(reading.meter, deviceLfdi);
    if (!point) return 0;
    const time = Math.floor(reading.ts / 1000);
    let kept = 0;
    for (const [key, raw] of Object.entries(reading.values)) {
      if (typeof raw !== 'number') continue;
      const type = readingKindOf(key);
      if (!type) continue;
      let record = point.readings.find((candidate) => candidate.key === key);
      if (!record) {
        record = { index: point.readings.length, key, mrid: mridFor(`mr:${reading.meter}:${key}`, this.pen), type, value: 0, time: 0, changed: 0 };
        point.readings.push(record);
      }
      if (time < record.time) continue;
      record.value = readingValue(type, raw);
      record.time = time;
      record.changed = time;
      point.changed = Math.max(point.changed, time);
      kept++;
    }
    return kept;
  }

  list(): readonly UsagePointRecord[] { return this.ordered; }

  get(index: number): UsagePointRecord | undefined { return this.ordered[index]; }

  get size(): number { return this.ordered.length; }

  private pointFor(meter: string, deviceLfdi?: string): UsagePointRecord | undefined {
    let point = this.byMeter.get(meter);
    if (point) {
      if (deviceLfdi) point.deviceLfdi = deviceLfdi;
      return point;
    }
    if (this.ordered.length >= this.maxMeters) return undefined;
    point = { index: this.ordered.length, meter, mrid: mridFor(`upt:${meter}`, this.pen), readings: [], changed: 0, deviceLfdi };
    this.byMeter.set(meter, point);
    this.ordered.push(point);
    return point;
  }
}
