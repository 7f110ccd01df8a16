import { centreOf } from './bands.js';
import { COUNTRY_PLANS, type CountryPlan } from './countries.js';
import type { Bandwidth, RegRow } from './types.js';

function rowsOf(plan: CountryPlan): RegRow[] {
  const rows: RegRow[] = [];
  for (const segment of plan.segments) {
    for (const channel of segment.channels) {
      rows.push({
        country: plan.code,
        morseCode: plan.morse ?? plan.code,
        countryName: plan.name,
        bandwidth: segment.bandwidth,
        channel,
        s1gOpClass: segment.s1gOpClass,
        globalOpClass: segment.globalOpClass,
        centreMHz: centreOf(segment, channel),
        mm6108Usable: !(segment.mm6108Unusable ?? []).includes(channel),
        ...segment.limits,
      });
    }
  }
  return rows;
}

/** Our built-in table: one row per (country, bandwidth, S1G channel). */
export function builtinRows(): RegRow[] {
  return COUNTRY_PLANS.flatMap(rowsOf);
}

/** Rows indexed by country; lookups accept ISO codes and Morse's own codes (`DD`, `UK`, `FL`). */
export class RegTable {
  private readonly byCountry = new Map<string, RegRow[]>();
  private readonly aliases = new Map<string, string>();

  constructor(readonly rows: readonly RegRow[], readonly source: string) {
    for (const row of rows) {
      const list = this.byCountry.get(row.country) ?? [];
      list.push(row);
      this.byCountry.set(row.country, list);
      this.aliases.set(row.morseCode, row.country);
    }
  }

  /** The ISO code of a country code or Morse alias, or undefined when the table has no such country. */
  resolve(code: string): string | undefined {
    const upper = code.trim().toUpperCase();
    if (this.byCountry.has(upper)) return upper;
    return this.aliases.get(upper);
  }

  countries(): string[] {
    return [...this.byCountry.keys()].sort();
  }

  rowsFor(country: string): readonly RegRow[] {
    const code = this.resolve(country);
    return code ? this.byCountry.get(code) ?? [] : [];
  }

  find(country: string, channel: number, bandwidth?: Bandwidth): RegRow | undefined {
    return this.rowsFor(country).find((row) => row.channel === channel && (bandwidth === undefined || row.bandwidth === bandwidth));
  }
}

export function builtinTable(): RegTable {
  return new RegTable(builtinRows(), 'builtin');
}
