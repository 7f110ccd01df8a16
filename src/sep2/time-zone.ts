/** What the 2030.5 Time resource needs of a time zone for one year (all in seconds). */
export interface ZoneYear {
  tzOffset: number;
  dstOffset: number;
  /** 0 when the zone has no daylight saving time. */
  dstStartTime: number;
  dstEndTime: number;
}

const DAY = 86_400;

function offsetFormatter(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
}

/** UTC offset of `zone` at `seconds`, from Intl ("GMT+05:30"); node without ICU data for it throws. */
function offsetAt(formatter: Intl.DateTimeFormat, seconds: number): number {
  const name = formatter.formatToParts(new Date(seconds * 1000)).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!match) throw new Error(`cannot read the UTC offset '${name}'`);
  if (!match[1]) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60);
}

/** The first second in (from, to] whose offset differs from the one at `from`. */
function transitionIn(formatter: Intl.DateTimeFormat, from: number, to: number): number {
  const before = offsetAt(formatter, from);
  let low = from;
  let high = to;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(formatter, middle) === before) low = middle;
    else high = middle;
  }
  return high;
}

/** Standard offset, DST offset and this year's DST start and end of `zone` (IANA name). */
export function zoneYear(zone: string, year: number): ZoneYear {
  const formatter = offsetFormatter(zone);
  const start = Date.UTC(year, 0, 1) / 1000;
  const end = Date.UTC(year + 1, 0, 1) / 1000;
  const offsets: number[] = [];
  const transitions: number[] = [];
  let previous = offsetAt(formatter, start);
  for (let day = start; day < end; day += DAY) {
    const offset = offsetAt(formatter, day + DAY);
    offsets.push(offset);
    if (offset !== previous) transitions.push(transitionIn(formatter, day, day + DAY));
    previous = offset;
  }
  const tzOffset = Math.min(...offsets);
  const dstOffset = Math.max(...offsets) - tzOffset;
  if (dstOffset === 0 || transitions.length < 2) return { tzOffset, dstOffset: 0, dstStartTime: 0, dstEndTime: 0 };
  const intoDst = transitions.find((at) => offsetAt(formatter, at) !== tzOffset) ?? transitions[0];
  const outOfDst = transitions.find((at) => offsetAt(formatter, at) === tzOffset) ?? transitions[1];
  return { tzOffset, dstOffset, dstStartTime: intoDst, dstEndTime: outOfDst };
}
