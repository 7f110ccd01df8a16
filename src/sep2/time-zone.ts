/**
 * POSIX TZ strings as OpenWrt keeps them (/etc/TZ, from `system.@system[0].timezone`, e.g.
 * `CET-1CEST,M3.5.0,M10.5.0/3`): the offsets and this year's DST transitions the 2030.5 Time resource
 * needs, without ICU time-zone data (which OpenWrt's node may lack and which costs ~10 MB of RSS).
 */
export interface ZoneYear {
  /** Standard time offset east of UTC, seconds. */
  tzOffset: number;
  /** DST offset added to tzOffset, seconds; 0 when the zone has no DST. */
  dstOffset: number;
  /** UTC seconds of this year's DST start and end (0 without DST). */
  dstStartTime: number;
  dstEndTime: number;
}

interface Rule { kind: 'M'; month: number; week: number; day: number; time: number }
interface DayRule { kind: 'J' | 'N'; day: number; time: number }

interface ParsedZone { std: number; dst: number | undefined; start?: Rule | DayRule; end?: Rule | DayRule }

export class TimeZoneError extends Error {}

const NAME = /^(<[A-Za-z0-9+-]+>|[A-Za-z]{3,})/;
const OFFSET = /^([+-]?)(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?/;

function readOffset(text: string, at: number): [number, number] | undefined {
  const match = OFFSET.exec(text.slice(at));
  if (!match) return undefined;
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
  return [match[1] === '-' ? -seconds : seconds, at + match[0].length];
}

function readRule(text: string): Rule | DayRule {
  const [date, time] = text.split('/');
  const seconds = time === undefined ? 7200 : readOffset(time, 0)?.[0];
  if (seconds === undefined) throw new TimeZoneError(`bad transition time '${time}'`);
  const m = /^M(\d{1,2})\.([1-5])\.([0-6])$/.exec(date);
  if (m && +m[1] >= 1 && +m[1] <= 12) return { kind: 'M', month: +m[1], week: +m[2], day: +m[3], time: seconds };
  const j = /^(J?)(\d{1,3})$/.exec(date);
  if (j) return { kind: j[1] ? 'J' : 'N', day: +j[2], time: seconds };
  throw new TimeZoneError(`bad transition rule '${date}'`);
}

export function parsePosixTz(tz: string): ParsedZone {
  const text = tz.trim();
  const std = NAME.exec(text);
  if (!std) throw new TimeZoneError(`'${tz}' does not start with a zone name`);
  const stdOffset = readOffset(text, std[0].length);
  if (!stdOffset) throw new TimeZoneError(`'${tz}' has no UTC offset after ${std[0]}`);
  const [rawStd, afterStd] = stdOffset;
  const rest = text.slice(afterStd);
  if (!rest) return { std: 0 - rawStd, dst: undefined };
  const dstName = NAME.exec(rest);
  if (!dstName) throw new TimeZoneError(`'${tz}': '${rest}' is not a DST zone name`);
  let at = dstName[0].length;
  const dstOffset = readOffset(rest, at);
  const rawDst = dstOffset ? dstOffset[0] : rawStd - 3600;
  if (dstOffset) at = dstOffset[1];
  const rules = rest.slice(at);
  const parts = rules ? rules.replace(/^,/, '').split(',') : ['M3.2.0', 'M11.1.0'];
  if (parts.length !== 2) throw new TimeZoneError(`'${tz}' needs a start and an end rule`);
  return { std: 0 - rawStd, dst: 0 - rawDst, start: readRule(parts[0]), end: readRule(parts[1]) };
}

/** Seconds from the start of `year` (UTC calendar) to the rule's local date and time. */
function ruleSeconds(rule: Rule | DayRule, year: number): number {
  if (rule.kind === 'M') return monthRuleSeconds(rule, year) - Date.UTC(year, 0, 1) / 1000;
  if (rule.kind === 'N') return rule.day * 86_400 + rule.time;
  // Jn counts 1..365 and never February 29th.
  const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  return (rule.day - 1 + (leap && rule.day >= 60 ? 1 : 0)) * 86_400 + rule.time;
}

/** UTC-calendar second of the rule's local time on day `d` of week `w` (5 = last) of month `m`. */

function monthRuleSeconds(rule: Rule, year: number): number {
  const first = new Date(Date.UTC(year, rule.month - 1, 1));
  let day = 1 + ((rule.day - first.getUTCDay() + 7) % 7) + (rule.week - 1) * 7;
  const daysInMonth = new Date(Date.UTC(year, rule.month, 0)).getUTCDate();
  while (day > daysInMonth) day -= 7;
  return Date.UTC(year, rule.month - 1, day) / 1000 + rule.time;
}

/** Standard offset, DST offset and this year's DST start and end (UTC) of a POSIX TZ string. */
export function zoneYear(tz: string, year: number): ZoneYear {
  const zone = parsePosixTz(tz);
  if (zone.dst === undefined || !zone.start || !zone.end) return { tzOffset: zone.std, dstOffset: 0, dstStartTime: 0, dstEndTime: 0 };
  const yearStart = Date.UTC(year, 0, 1) / 1000;
  return {
    tzOffset: zone.std,
    dstOffset: zone.dst - zone.std,
    dstStartTime: yearStart + ruleSeconds(zone.start, year) - zone.std,
    dstEndTime: yearStart + ruleSeconds(zone.end, year) - zone.dst,
  };
}
