// What arrived upstream compared with what the meters' broker acknowledged.
import type { LogLine } from './line-log.js';

export interface Delivery { at: number; meter: string; id: number; values: unknown }

export interface DeliveryReport {
  /** Acknowledged by the local broker, never seen upstream. */
  lost: number[];
  /** Readings seen upstream more than once (re-sent after a lost PUBACK). */
  duplicates: number;
  /** A reading that arrived for the first time after a later reading of the same meter. */
  orderViolations: Array<{ meter: string; after: number; got: number }>;
  /** Upstream entries that are no reading of this run or whose values differ from what was sent. */
  malformed: string[];
  received: number;
}

export const readingValues = (id: number) => ({ energy_import_kwh: 1000 + id / 1000, voltage_l1_v: 230 + (id % 7) / 10 });

/** Parses `v1/gateway/telemetry` payloads: `{"<meter>":[{"ts":..,"values":{..}}, ...], ...}`. */
export function parseUpstream(lines: LogLine[], startTs: number, malformed: string[]): Delivery[] {
  const out: Delivery[] = [];
  for (const line of lines) {
    let body: unknown;
    try { body = JSON.parse(line.text); } catch { malformed.push(`not JSON: ${line.text.slice(0, 80)}`); continue; }
    if (!body || typeof body !== 'object' || Array.isArray(body)) { malformed.push(`not an object: ${line.text.slice(0, 80)}`); continue; }
    for (const [meter, entries] of Object.entries(body as Record<string, unknown>)) {
      if (!Array.isArray(entries)) { malformed.push(`${meter}: not an array`); continue; }
      for (const entry of entries as Array<{ ts?: unknown; values?: unknown }>) {
        const id = typeof entry.ts === 'number' ? entry.ts - startTs : NaN;
        if (!Number.isInteger(id) || id < 0) { malformed.push(`${meter}: ts ${String(entry.ts)}`); continue; }
        out.push({ at: line.at, meter, id, values: entry.values });
      }
    }
  }
  return out;
}

export function compareDelivery(acked: number[], deliveries: Delivery[], meterOf: (id: number) => string, malformed: string[] = []): DeliveryReport {
  const seen = new Set<number>();
  const newest = new Map<string, number>();
  const report: DeliveryReport = { lost: [], duplicates: 0, orderViolations: [], malformed, received: 0 };
  for (const delivery of deliveries) {
    if (delivery.meter !== meterOf(delivery.id)) report.malformed.push(`reading ${delivery.id} under ${delivery.meter}`);
    if (JSON.stringify(delivery.values) !== JSON.stringify(readingValues(delivery.id))) report.malformed.push(`reading ${delivery.id}: values ${JSON.stringify(delivery.values)}`);
    if (seen.has(delivery.id)) { report.duplicates++; continue; }
    seen.add(delivery.id);
    const before = newest.get(delivery.meter);
    if (before !== undefined && delivery.id < before) report.orderViolations.push({ meter: delivery.meter, after: before, got: delivery.id });
    else newest.set(delivery.meter, delivery.id);
  }
  report.received = seen.size;
  report.lost = acked.filter((id) => !seen.has(id));
  return report;
}
