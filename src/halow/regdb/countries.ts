// Which band plan each country applies. `morse` is the code Morse Micro's regdb and driver use when
// it differs from ISO 3166 (`DD` for Germany, `FL` for Liechtenstein, `UK` for the United Kingdom).
import {
  PLAN_AR, PLAN_AU, PLAN_BR, PLAN_EU, PLAN_EU_917, PLAN_EU_918, PLAN_IN, PLAN_JP, PLAN_KR, PLAN_NZ, PLAN_SG, PLAN_US,
  type Segment,
} from './bands.js';

export interface CountryPlan {
  code: string;
  name: string;
  morse?: string;
  segments: readonly Segment[];
}

function europe(plan: readonly Segment[], entries: ReadonlyArray<[string, string, string?]>): CountryPlan[] {
  return entries.map(([code, name, morse]) => ({ code, name, morse, segments: plan }));
}

export const COUNTRY_PLANS: readonly CountryPlan[] = [
  { code: 'US', name: 'United States', segments: PLAN_US },
  { code: 'CA', name: 'Canada', segments: PLAN_US },
  { code: 'AR', name: 'Argentina', segments: PLAN_AR },
  { code: 'BR', name: 'Brazil', segments: PLAN_BR },
  { code: 'AU', name: 'Australia', segments: PLAN_AU },
  { code: 'NZ', name: 'New Zealand', segments: PLAN_NZ },
  { code: 'JP', name: 'Japan', segments: PLAN_JP },
  { code: 'KR', name: 'South Korea', segments: PLAN_KR },
  { code: 'SG', name: 'Singapore', segments: PLAN_SG },
  { code: 'IN', name: 'India', segments: PLAN_IN },
  { code: 'EU', name: 'European Union (harmonised 863-868 MHz)', segments: PLAN_EU },
  ...europe(PLAN_EU, [
    ['AL', 'Albania'], ['AT', 'Austria'], ['BA', 'Bosnia and Herzegovina'], ['CH', 'Switzerland'], ['CY', 'Cyprus'],
    ['CZ', 'Czechia'], ['DE', 'Germany', 'DD'], ['DK', 'Denmark'], ['EE', 'Estonia'], ['ES', 'Spain'], ['GR', 'Greece'],
    ['HR', 'Croatia'], ['HU', 'Hungary'], ['KE', 'Kenya'], ['LI', 'Liechtenstein', 'FL'], ['LU', 'Luxembourg'],
    ['LV', 'Latvia'], ['MT', 'Malta'], ['NL', 'Netherlands'], ['NO', 'Norway'], ['PL', 'Poland'], ['RO', 'Romania'],
    ['SK', 'Slovakia'],
  ]),
  ...europe(PLAN_EU_917, [
    ['BE', 'Belgium'], ['IE', 'Ireland'], ['IS', 'Iceland'], ['LT', 'Lithuania'], ['MD', 'Moldova'],
    ['MK', 'North Macedonia'], ['PT', 'Portugal'], ['SE', 'Sweden'], ['SI', 'Slovenia'],
  ]),
  ...europe(PLAN_EU_918, [
    ['BG', 'Bulgaria'], ['FI', 'Finland'], ['FR', 'France'], ['IT', 'Italy'], ['TR', 'Türkiye'], ['GB', 'United Kingdom', 'UK'],
  ]),
];
