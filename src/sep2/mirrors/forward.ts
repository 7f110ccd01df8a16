import { compileTopicPattern, type TopicPattern } from '../../telemetry/ingest/topic.js';
import { telemetryValueOf } from '../resources/reading-type.js';
import { BodyError } from '../xml/parse.js';
import type { MirrorMeterReadingInput, MirrorReadingType } from './parse.js';

/** Publishes with QoS 1: resolves once the local broker has acknowledged (PUBACK). */
export interface TelemetryPublisher {
  publish(topic: string, payload: string): Promise<void>;
}

export interface TelemetryMessage {
  topic: string;
  payload: string;
}

export class MirrorTopic {
  private readonly pattern: TopicPattern;

  constructor(pattern: string) {
    this.pattern = compileTopicPattern(pattern);
  }

  render(deviceLfdi: string, mrid: string): string {
    const topic = this.pattern.render({ lfdi: deviceLfdi, mrid, sfdi: deviceLfdi.slice(0, 9) });
    if (!topic) throw new Error(`mirror_topic '${this.pattern.pattern}' uses a variable other than {lfdi} and {mrid}`);
    return topic;
  }

  /** The device LFDI of a topic this server published mirrored readings on, if it is one. */
  deviceOf(topic: string): string | undefined {
    return this.pattern.match(topic)?.lfdi;
  }
}

/**
 * Mirrored Readings as telemetry readings (`{"ts":..,"values":{..}}` per timestamp) on the mirror topic,
 * the way every other reading enters the gateway, so the telemetry forwarder queues them durably and
 * carries them to ThingsBoard. A Reading whose MirrorMeterReading has no ReadingType cannot be mapped.
 */
export function mirrorMessages(
  topic: string,
  inputs: readonly MirrorMeterReadingInput[],
  knownType: (meterReadingMrid: string) => MirrorReadingType | undefined,
  nowS: number,
): TelemetryMessage[] {
  const byTime = new Map<number, Record<string, number>>();
  for (const input of inputs) {
    if (!input.readings.length) continue;
    const type = input.readingType ?? knownType(input.mrid);
    if (!type) throw new BodyError(`MirrorMeterReading ${input.mrid}: a Reading needs a ReadingType (post it with the first reading)`);
    for (const reading of input.readings) {
      const time = reading.start ?? nowS;
      const { key, value } = telemetryValueOf({ ...type, touTier: reading.touTier }, reading.value);
      const values = byTime.get(time) ?? {};
      values[key] = value;
      byTime.set(time, values);
    }
  }
  return [...byTime].sort(([a], [b]) => a - b).map(([time, values]) => ({ topic, payload: JSON.stringify({ ts: time * 1000, values }) }));
}
