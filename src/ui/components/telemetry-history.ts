import { useRef } from 'preact/hooks';
import { queueDepth } from '../lib/services.js';
import type { Rpc } from '../lib/rpc.js';

const WINDOW_MS = 3600_000;

type Point = [number, number];
export type TelemetrySeries = 'in' | 'out' | 'rejects' | 'queue';
export interface TelemetryPoint { in?: number; out?: number; rejects?: number; queue?: number }

function sampleFrom(raw: unknown): [number, TelemetryPoint] | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const sample = raw as Record<string, unknown>;
  if (typeof sample.ts !== 'number') return undefined;
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  return [sample.ts, { in: number(sample.in), out: number(sample.out), rejects: number(sample.rejects), queue: queueDepth(sample.depth) }];
}

/**
 * The telemetry charts' data: the forwarder's own last hour (ubus `history`, fetched whole once and then
 * with `since`), so the charts are full when the page opens, plus the latest polled status as the "now" point.
 * A forwarder without `history` (older version, or not allowed) leaves only the points polled by this page.
 */
export function useTelemetryHistory() {
  const server = useRef<Array<[number, TelemetryPoint]>>([]);
  const polled = useRef<Array<[number, TelemetryPoint]>>([]);

  const trim = (list: Array<[number, TelemetryPoint]>, now: number) => {
    while (list.length && list[0]![0] < now - WINDOW_MS) list.shift();
  };

  return {
    /** Fetches the samples newer than those held; call it from the page's poll. */
    async fetch(rpc: Rpc): Promise<void> {
      const last = server.current[server.current.length - 1]?.[0];
      let reply: Record<string, unknown>;
      try {
        reply = await rpc.call('smartgrid.telemetry', 'history', last === undefined ? {} : { since: last });
      } catch {
        return; // a forwarder without `history` (older, stopped or not allowed): the polled points remain
      }
      const samples = Array.isArray(reply.samples) ? reply.samples : [];
      for (const raw of samples) {
        const sample = sampleFrom(raw);
        if (sample && (server.current.length === 0 || sample[0] > server.current[server.current.length - 1]![0])) server.current.push(sample);
      }
      trim(server.current, Date.now());
    },
    /** The page's own poll result; kept as the newest point (and as the whole series without `history`). */
    add(at: number | undefined, point: TelemetryPoint): void {
      if (at === undefined || polled.current[polled.current.length - 1]?.[0] === at) return;
      polled.current.push([at, point]);
      trim(polled.current, at);
    },
    get(series: TelemetrySeries): Point[] {
      const serverPoints = server.current;
      const lastServer = serverPoints[serverPoints.length - 1]?.[0] ?? -Infinity;
      const newerPolled = polled.current.filter(([at]) => at > lastServer);
      // With history, only the latest poll is appended: polled rates are 10 s windows, samples are interval averages.
      const tail = serverPoints.length ? newerPolled.slice(-1) : newerPolled;
      const out: Point[] = [];
      for (const [at, point] of [...serverPoints, ...tail]) {
        const value = point[series];
        if (value !== undefined) out.push([at, value]);
      }
      return out;
    },
    get fromService(): boolean { return server.current.length > 0; },
  };
}
