import { leaf, type XmlElement } from '../xml/element.js';
import type { Page } from '../resources/list-query.js';
import type { MirrorMeterReadingRecord, MirrorUsagePointRecord } from './store.js';

export const mirrorHref = (record: MirrorUsagePointRecord): string => `/mup/${record.index}`;

function mirrorMeterReading(reading: MirrorMeterReadingRecord): XmlElement {
  const type = reading.readingType;
  const last = reading.last;
  return {
    name: 'MirrorMeterReading',
    children: [
      leaf('mRID', reading.mrid),
      leaf('description', reading.description),
      leaf('lastUpdateTime', reading.lastUpdateTime),
      last ? {
        name: 'Reading',
        children: [
          last.start !== undefined ? { name: 'timePeriod', children: [leaf('duration', 0), leaf('start', last.start)] } : undefined,
          leaf('touTier', last.touTier || undefined),
          leaf('value', last.value),
        ],
      } : undefined,
      type ? {
        name: 'ReadingType',
        children: [
          leaf('flowDirection', type.flowDirection),
          leaf('kind', type.kind),
          leaf('powerOfTenMultiplier', type.powerOfTenMultiplier),
          leaf('uom', type.uom),
        ],
      } : undefined,
    ],
  };
}

export function mirrorUsagePoint(record: MirrorUsagePointRecord, postRate: number): XmlElement {
  const { input } = record;
  return {
    name: 'MirrorUsagePoint',
    attributes: { href: mirrorHref(record) },
    children: [
      leaf('mRID', input.mrid),
      leaf('description', input.description),
      leaf('roleFlags', input.roleFlags),
      leaf('serviceCategoryKind', input.serviceCategoryKind),
      leaf('status', input.status),
      leaf('deviceLFDI', input.deviceLfdi),
      ...record.meterReadings.map(mirrorMeterReading),
      leaf('postRate', postRate),
    ],
  };
}

export function mirrorUsagePointList(page: Page<MirrorUsagePointRecord>, pollRate: number, postRate: number): XmlElement {
  return {
    name: 'MirrorUsagePointList',
    attributes: { href: '/mup', all: page.all, results: page.items.length, pollRate },
    children: page.items.map((record) => mirrorUsagePoint(record, postRate)),
  };
}
