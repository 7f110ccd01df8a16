import type { MeterReadingRecord, UsagePointRecord } from '../usage-points.js';
import { leaf, link, type XmlElement } from '../xml/element.js';
import type { Page } from './list-query.js';
import { obisCodeOf } from './reading-type.js';

/** roleFlags bit 0 (isMirror): the gateway is not the measurement device. */
const ROLE_IS_MIRROR = '01';
const SERVICE_ELECTRICITY = 0;
const STATUS_ON = 1;

export const usagePointHref = (point: UsagePointRecord): string => `/upt/${point.index}`;
export const meterReadingHref = (point: UsagePointRecord, reading: MeterReadingRecord): string => `${usagePointHref(point)}/mr/${reading.index}`;

export function usagePoint(point: UsagePointRecord): XmlElement {
  const href = usagePointHref(point);
  return {
    name: 'UsagePoint',
    attributes: { href },
    children: [
      leaf('mRID', point.mrid),
      leaf('description', point.meter.slice(0, 32)),
      leaf('roleFlags', ROLE_IS_MIRROR),
      leaf('serviceCategoryKind', SERVICE_ELECTRICITY),
      leaf('status', STATUS_ON),
      leaf('deviceLFDI', point.deviceLfdi),
      link('MeterReadingListLink', `${href}/mr`, point.readings.length),
    ],
  };
}

export function usagePointList(page: Page<UsagePointRecord>, pollRate: number): XmlElement {
  return {
    name: 'UsagePointList',
    attributes: { href: '/upt', subscribable: 0, all: page.all, results: page.items.length, pollRate },
    children: page.items.map(usagePoint),
  };
}

export function meterReading(point: UsagePointRecord, reading: MeterReadingRecord): XmlElement {
  const href = meterReadingHref(point, reading);
  return {
    name: 'MeterReading',
    attributes: { href },
    children: [
      leaf('mRID', reading.mrid),
      leaf('description', (obisCodeOf(reading.key) ?? reading.key).slice(0, 32)),
      link('ReadingLink', `${href}/r`),
      link('ReadingTypeLink', `${href}/rt`),
    ],
  };
}

export function meterReadingList(point: UsagePointRecord, page: Page<MeterReadingRecord>): XmlElement {
  return {
    name: 'MeterReadingList',
    attributes: { href: `${usagePointHref(point)}/mr`, subscribable: 0, all: page.all, results: page.items.length },
    children: page.items.map((reading) => meterReading(point, reading)),
  };
}

export function readingType(point: UsagePointRecord, reading: MeterReadingRecord): XmlElement {
  const { type } = reading;
  return {
    name: 'ReadingType',
    attributes: { href: `${meterReadingHref(point, reading)}/rt` },
    children: [
      leaf('accumulationBehaviour', type.kind === 12 ? 9 : 12),
      leaf('commodity', 1),
      leaf('flowDirection', type.flowDirection),
      leaf('kind', type.kind),
      leaf('powerOfTenMultiplier', type.powerOfTenMultiplier),
      leaf('uom', type.uom),
    ],
  };
}

/** The latest Reading: its time as a zero-length timePeriod, touTier for tariff registers. */
export function reading(point: UsagePointRecord, record: MeterReadingRecord): XmlElement {
  return {
    name: 'Reading',
    attributes: { href: `${meterReadingHref(point, record)}/r` },
    children: [
      { name: 'timePeriod', children: [leaf('duration', 0), leaf('start', record.time)] },
      leaf('touTier', record.type.touTier || undefined),
      leaf('value', record.value),
    ],
  };
}
