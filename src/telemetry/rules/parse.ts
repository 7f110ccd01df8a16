export interface RangeRule { key: string; min?: number; max?: number }
export interface RateRule { key: string; maxPerSecond: number }

/** `voltage_l1_v=207:253`, either bound may be empty. */
export function parseRangeRules(entries: readonly string[], onInvalid?: (entry: string) => void): Map<string, RangeRule> {
  const rules = new Map<string, RangeRule>();
  for (const entry of entries) {
    const match = /^\s*([a-z][a-z0-9_]*)\s*=\s*(-?[0-9.]*)\s*:\s*(-?[0-9.]*)\s*$/.exec(entry);
    const min = match?.[2] ? Number(match[2]) : undefined;
    const max = match?.[3] ? Number(match[3]) : undefined;
    if (!match || Number.isNaN(min) || Number.isNaN(max) || (min === undefined && max === undefined)) { onInvalid?.(entry); continue; }
    rules.set(match[1], { key: match[1], min, max });
  }
  return rules;
}

/** `energy_import_kwh=0.5`: the largest change per second between consecutive readings. */
export function parseRateRules(entries: readonly string[], onInvalid?: (entry: string) => void): Map<string, RateRule> {
  const rules = new Map<string, RateRule>();
  for (const entry of entries) {
    const match = /^\s*([a-z][a-z0-9_]*)\s*=\s*([0-9.]+)\s*$/.exec(entry);
    const maxPerSecond = match ? Number(match[2]) : NaN;
    if (!match || Number.isNaN(maxPerSecond)) { onInvalid?.(entry); continue; }
    rules.set(match[1], { key: match[1], maxPerSecond });
  }
  return rules;
}
