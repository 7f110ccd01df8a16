import type { MqttClient } from 'mqtt';
import type { UpstreamObserver } from './harness.js';

/** Publishes `perMeter` readings for each meter (ts and seq numbered), QoS 1, `perTick` at a time. */
export async function publishLoad(publisher: MqttClient, meters: string[], perMeter: number, options: { t0: number; perTick?: number; tickMs?: number; onProgress?(sent: number): void }): Promise<number> {
  const perTick = options.perTick ?? 50;
  let sent = 0;
  let window: Promise<unknown>[] = [];
  for (let i = 0; i < perMeter; i++) {
    meters.forEach((meter, m) => {
      window.push(publisher.publishAsync(`telemetry/r1/dcu${m % 3}/${meter}`, JSON.stringify({ ts: options.t0 + i * 1000, seq: i, values: { energy_import_kwh: i / 10, voltage_l1_v: 230 } }), { qos: 1 }));
    });
    if (window.length >= perTick || i === perMeter - 1) {
      await Promise.all(window);
      sent += window.length;
      window = [];
      options.onProgress?.(sent);
      if (options.tickMs) await new Promise((r) => setTimeout(r, options.tickMs));
    }
  }
  return sent;
}

export interface DeliveryReport { missing: number; duplicates: number; orderViolations: number; delivered: number }

/** Every published reading must arrive; first arrivals must be in order per meter. */
export function checkDelivery(observer: UpstreamObserver, meters: string[], perMeter: number, t0: number): DeliveryReport {
  let missing = 0;
  let duplicates = 0;
  let orderViolations = 0;
  let delivered = 0;
  for (const meter of meters) {
    const entries = observer.telemetry.get(meter) ?? [];
    delivered += entries.length;
    const seen = new Set<number>();
    let lastFirst = -1;
    for (const entry of entries) {
      const i = (entry.ts - t0) / 1000;
      if (seen.has(i)) { duplicates++; continue; }
      seen.add(i);
      if (i < lastFirst) orderViolations++;
      lastFirst = i;
    }
    for (let i = 0; i < perMeter; i++) if (!seen.has(i)) missing++;
  }
  return { missing, duplicates, orderViolations, delivered };
}
