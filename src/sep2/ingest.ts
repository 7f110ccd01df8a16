import { decodePayload } from '../telemetry/ingest/decode.js';
import { normalizePayload } from '../telemetry/ingest/normalize.js';
import { ObisMapper } from '../telemetry/ingest/obis.js';
import { compileTopicPattern, type TopicPattern } from '../telemetry/ingest/topic.js';
import type { MirrorTopic } from './mirrors/forward.js';
import type { UsagePointStore } from './usage-points.js';

const MAX_READING_PAYLOAD = 256 * 1024;

/**
 * Meter readings from the local broker into the UsagePoints, decoded and normalised exactly as the
 * telemetry forwarder does (same JSON/CBOR forms, same OBIS table), so /upt shows what goes upstream.
 */
export class ReadingIngest {
  private readonly pattern: TopicPattern;
  private readonly obis = new ObisMapper();
  accepted = 0;
  rejected = 0;
  lastReject = '';

  constructor(pattern: string, private readonly store: UsagePointStore, private readonly mirrorTopic: () => MirrorTopic) {
    this.pattern = compileTopicPattern(pattern);
  }

  get filter(): string { return this.pattern.filter; }

  take(topic: string, payload: Buffer, now = Date.now()): void {
    const vars = this.pattern.match(topic);
    if (!vars?.meter) return;
    try {
      const { value } = decodePayload(payload, MAX_READING_PAYLOAD);
      const { readings, rejections } = normalizePayload(value, { ...vars, meter: vars.meter }, this.obis, now);
      const deviceLfdi = this.mirrorTopic().deviceOf(topic);
      for (const reading of readings) this.store.ingest(reading, deviceLfdi);
      this.accepted += readings.length;
      this.rejected += rejections.length;
      if (rejections.length) this.lastReject = `${topic}: ${rejections[0].detail}`;
    } catch (error) {
      this.rejected++;
      this.lastReject = `${topic}: ${(error as Error).message}`;
    }
  }
}
