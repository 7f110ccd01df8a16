import { useRef } from 'preact/hooks';

/** Samples kept in the page between polls (the services keep counters, not series). */
export function useHistory(windowMs = 3600_000) {
  const series = useRef(new Map<string, [number, number][]>());
  const lastAt = useRef<number | undefined>(undefined);
  return {
    add(at: number | undefined, values: Record<string, number | undefined>): void {
      if (at === undefined || at === lastAt.current) return;
      lastAt.current = at;
      for (const [name, value] of Object.entries(values)) {
        if (value === undefined) continue;
        const points = series.current.get(name) ?? [];
        points.push([at, value]);
        while (points.length && points[0]![0] < at - windowMs) points.shift();
        series.current.set(name, points);
      }
    },
    get(name: string): [number, number][] {
      return series.current.get(name) ?? [];
    },
  };
}
