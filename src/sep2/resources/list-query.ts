/** List paging of IEEE 2030.5: `s` start index, `l` limit (default 1), `a` after (a time, for time-ordered lists). */
export interface ListQuery {
  start: number;
  limit: number;
  after: number | undefined;
}

/** `results` is a UInt8: a page never holds more than 255 items. */
export const MAX_PAGE = 255;

export class QueryError extends Error {}

function integerParam(search: URLSearchParams, name: string, max: number): number | undefined {
  const raw = search.get(name);
  if (raw === null) return undefined;
  if (!/^[0-9]{1,15}$/.test(raw) || Number(raw) > max) throw new QueryError(`query parameter ${name}=${raw} is not an integer from 0 to ${max}`);
  return Number(raw);
}

export function parseListQuery(search: URLSearchParams): ListQuery {
  return {
    start: integerParam(search, 's', 65535) ?? 0,
    limit: Math.min(integerParam(search, 'l', 65535) ?? 1, MAX_PAGE),
    after: integerParam(search, 'a', Number.MAX_SAFE_INTEGER),
  };
}

export interface Page<T> {
  items: T[];
  /** The `all` attribute: items in the list, whatever the page. */
  all: number;
}

/** One page of `items` (already in the list's order); `timeOf` lets `a` skip items not after that time. */
export function pageOf<T>(items: readonly T[], query: ListQuery, timeOf?: (item: T) => number): Page<T> {
  const selectable = query.after !== undefined && timeOf ? items.filter((item) => timeOf(item) > query.after!) : items;
  return { items: selectable.slice(query.start, query.start + query.limit), all: items.length };
}
