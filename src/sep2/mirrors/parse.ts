import {
  BodyError, childOf, childrenOf, integerText, requiredText, textOf, type XmlObject,
} from '../xml/parse.js';

export interface MirrorReadingType {
  kind: number;
  uom: number;
  flowDirection: number;
  powerOfTenMultiplier: number;
  touTier: number;
}

export interface MirrorReadingInput {
  value: number;
  /** Seconds since 1970; undefined when the Reading carries no timePeriod. */
  start: number | undefined;
  touTier: number;
}

export interface MirrorMeterReadingInput {
  mrid: string;
  description: string | undefined;
  readingType: MirrorReadingType | undefined;
  readings: MirrorReadingInput[];
}

export interface MirrorUsagePointInput {
  mrid: string;
  description: string | undefined;
  roleFlags: string;
  serviceCategoryKind: number;
  status: number;
  deviceLfdi: string;
  meterReadings: MirrorMeterReadingInput[];
}

const MRID = /^[0-9A-Fa-f]{32}$/;
const LFDI = /^[0-9A-Fa-f]{40}$/;
const HEX16 = /^[0-9A-Fa-f]{1,4}$/;
const INT48 = 2 ** 47;
const UINT8 = 255;
const TIME_MAX = 2 ** 53;

function parseReadingType(element: XmlObject | undefined): MirrorReadingType | undefined {
  if (!element) return undefined;
  const owner = 'ReadingType';
  return {
    kind: integerText(element, owner, 'kind', 0, UINT8) ?? 0,
    uom: integerText(element, owner, 'uom', 0, UINT8) ?? 0,
    flowDirection: integerText(element, owner, 'flowDirection', 0, UINT8) ?? 0,
    powerOfTenMultiplier: integerText(element, owner, 'powerOfTenMultiplier', -9, 9) ?? 0,
    touTier: 0,
  };
}

function parseReading(element: XmlObject): MirrorReadingInput {
  const value = integerText(element, 'Reading', 'value', -INT48, INT48 - 1);
  if (value === undefined) throw new BodyError('Reading: value is required');
  const period = childOf(element, 'timePeriod');
  const start = period ? integerText(period, 'Reading timePeriod', 'start', -TIME_MAX, TIME_MAX) : undefined;
  return { value, start, touTier: integerText(element, 'Reading', 'touTier', 0, UINT8) ?? 0 };
}

export function parseMirrorMeterReading(element: XmlObject): MirrorMeterReadingInput {
  const owner = 'MirrorMeterReading';
  const readings = childrenOf(element, 'Reading').map(parseReading);
  for (const set of childrenOf(element, 'MirrorReadingSet')) readings.push(...childrenOf(set, 'Reading').map(parseReading));
  return {
    mrid: requiredText(element, owner, 'mRID', MRID, 'an mRID (32 hex digits)').toUpperCase(),
    description: textOf(element, 'description')?.slice(0, 32),
    readingType: parseReadingType(childOf(element, 'ReadingType')),
    readings,
  };
}

/** A posted MirrorUsagePoint: every field the schema requires, with its rule, or a BodyError naming it. */
export function parseMirrorUsagePoint(element: XmlObject): MirrorUsagePointInput {
  const owner = 'MirrorUsagePoint';
  const serviceCategoryKind = integerText(element, owner, 'serviceCategoryKind', 0, UINT8);
  const status = integerText(element, owner, 'status', 0, UINT8);
  if (serviceCategoryKind === undefined) throw new BodyError(`${owner}: serviceCategoryKind is required`);
  if (status === undefined) throw new BodyError(`${owner}: status is required`);
  return {
    mrid: requiredText(element, owner, 'mRID', MRID, 'an mRID (32 hex digits)').toUpperCase(),
    description: textOf(element, 'description')?.slice(0, 32),
    roleFlags: requiredText(element, owner, 'roleFlags', HEX16, 'HexBinary16'),
    serviceCategoryKind,
    status,
    deviceLfdi: requiredText(element, owner, 'deviceLFDI', LFDI, 'an LFDI (40 hex digits)').toUpperCase(),
    meterReadings: childrenOf(element, 'MirrorMeterReading').map(parseMirrorMeterReading),
  };
}
