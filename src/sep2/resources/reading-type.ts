import { DEFAULT_OBIS_MAP } from '../../telemetry/ingest/obis.js';

/** The ReadingType fields a meter value maps to (IEEE 2030.5 KindType, UomType, FlowDirectionType). */
export interface ReadingKind {
  kind: number;
  uom: number;
  flowDirection: number;
  /** Reading values are integers in units of uom x 10^powerOfTenMultiplier. */
  powerOfTenMultiplier: number;
  /** Power of ten of the key's own unit against uom (kWh against Wh: 3). */
  unitExponent: number;
  /** Tariff tier (touTier of the Reading), 0 when none. */
  touTier: number;
}

export const KIND = { none: 0, energy: 12, power: 37 } as const;
export const FLOW = { none: 0, forward: 1, reverse: 19 } as const;

interface UnitRule { suffix: string; kind: number; uom: number; unitExponent: number; powerOfTenMultiplier: number }

/** Key suffix (the telemetry normaliser's unit) -> kind, uom and the resolution the Reading carries. */
const UNIT_RULES: readonly UnitRule[] = [
  { suffix: '_kwh', kind: KIND.energy, uom: 72, unitExponent: 3, powerOfTenMultiplier: 0 },
  { suffix: '_kvarh', kind: KIND.energy, uom: 73, unitExponent: 3, powerOfTenMultiplier: 0 },
  { suffix: '_kvah', kind: KIND.energy, uom: 71, unitExponent: 3, powerOfTenMultiplier: 0 },
  { suffix: '_kw', kind: KIND.power, uom: 38, unitExponent: 3, powerOfTenMultiplier: 0 },
  { suffix: '_kvar', kind: KIND.power, uom: 63, unitExponent: 3, powerOfTenMultiplier: 0 },
  { suffix: '_kva', kind: KIND.power, uom: 61, unitExponent: 3, powerOfTenMultiplier: 0 },
  { suffix: '_v', kind: KIND.none, uom: 29, unitExponent: 0, powerOfTenMultiplier: -1 },
  { suffix: '_a', kind: KIND.none, uom: 5, unitExponent: 0, powerOfTenMultiplier: -2 },
  { suffix: '_hz', kind: KIND.none, uom: 33, unitExponent: 0, powerOfTenMultiplier: -2 },
  { suffix: 'power_factor', kind: KIND.none, uom: 65, unitExponent: 0, powerOfTenMultiplier: -3 },
];

function flowOf(key: string): number {
  if (/(^|_)import(_|$)/.test(key)) return FLOW.forward;
  if (/(^|_)export(_|$)/.test(key)) return FLOW.reverse;
  return FLOW.none;
}

/** ReadingType of a normalised telemetry key (`energy_import_t1_kwh`), undefined for keys without a known unit. */
export function readingKindOf(key: string): ReadingKind | undefined {
  const rule = UNIT_RULES.find((candidate) => key.endsWith(candidate.suffix));
  if (!rule) return undefined;
  const tier = /_t([1-9])_/.exec(key);
  return {
    kind: rule.kind,
    uom: rule.uom,
    flowDirection: flowOf(key),
    powerOfTenMultiplier: rule.powerOfTenMultiplier,
    unitExponent: rule.unitExponent,
    touTier: tier ? Number(tier[1]) : 0,
  };
}

/** The Int48 Reading value of `value` (in the key's unit): value x 10^(unitExponent - powerOfTenMultiplier). */
export function readingValue(kind: ReadingKind, value: number): number {
  return Math.round(value * 10 ** (kind.unitExponent - kind.powerOfTenMultiplier));
}

/** Drops binary floating-point noise (230.10000000000002 -> 230.1). */
const tidy = (value: number): number => Number(value.toPrecision(12));

const OBIS_BY_KEY = new Map(Object.entries(DEFAULT_OBIS_MAP).map(([code, key]) => [key, code]));

/** `1-0:1.8.0` for `energy_import_kwh`: the MeterReading description. */
export function obisCodeOf(key: string): string | undefined {
  return OBIS_BY_KEY.get(key);
}

/**
 * The telemetry key and value of a mirrored Reading (the way back): a ReadingType matching a known unit
 * gives its key (`energy_import_kwh`), any other gives `sep2_k<kind>_u<uom>_f<flow>` in uom units.
 */
export function telemetryValueOf(type: Omit<ReadingKind, 'unitExponent'>, value: number): { key: string; value: number } {
  const scaled = value * 10 ** type.powerOfTenMultiplier;
  for (const key of OBIS_BY_KEY.keys()) {
    const known = readingKindOf(key);
    if (known && known.kind === type.kind && known.uom === type.uom && known.flowDirection === type.flowDirection && known.touTier === type.touTier) {
      return { key, value: tidy(scaled / 10 ** known.unitExponent) };
    }
  }
  return { key: `sep2_k${type.kind}_u${type.uom}_f${type.flowDirection}${type.touTier ? `_t${type.touTier}` : ''}`, value: tidy(scaled) };
}
