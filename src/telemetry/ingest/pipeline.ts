import { DecodeError, decodePayload } from './decode.js';
import { DuplicateFilter } from './dedup.js';
import { normalizePayload, type Reading, type Rejection } from './normalize.js';
import { ObisMapper } from './obis.js';
import { compileTopicPattern, matchAny, type TopicPattern, type TopicVars } from './topic.js';

export interface IngestOptions {
  topicPatterns: readonly string[];
  obisMap: readonly string[];
  maxPayloadBytes: number;
  dedupWindow: number;
  dedupMaxMeters: number;
  now?: () => number;
  onInvalidObisEntry?(entry: string): void;
}

export interface IngestResult {
  vars?: TopicVars;
  readings: Reading[];
  rejections: Rejection[];
  duplicates: number;
}

/** topic -> decode -> validate -> normalise -> duplicate check, for one MQTT message. */
export class IngestPipeline {
  readonly patterns: TopicPattern[];
  private readonly obis: ObisMapper;
  private readonly dedup: DuplicateFilter;
  private readonly now: () => number;

  constructor(private readonly options: IngestOptions) {
    this.patterns = options.topicPatterns.map(compileTopicPattern);
    this.obis = new ObisMapper(options.obisMap, options.onInvalidObisEntry);
    this.dedup = new DuplicateFilter(options.dedupWindow, options.dedupMaxMeters);
    this.now = options.now ?? Date.now;
  }

  /**
   * Readings returned are not yet remembered as seen: call `commit` after they are on disk.
   * `inFlight` holds identities accepted earlier but not yet committed, to catch duplicates
   * arriving inside the same group commit.
   */
  process(topic: string, payload: Buffer, inFlight?: Set<string>): IngestResult {
    const vars = matchAny(this.patterns, topic);
    if (!vars || !vars.meter) return { readings: [], rejections: [{ reason: 'topic', detail: `topic '${topic}' matches no topic_pattern` }], duplicates: 0 };
    let decoded: unknown;
    try {
      decoded = decodePayload(payload, this.options.maxPayloadBytes).value;
    } catch (error) {
      if (error instanceof DecodeError) return { vars, readings: [], rejections: [{ reason: error.reason, detail: error.message }], duplicates: 0 };
      throw error;
    }
    const { readings, rejections } = normalizePayload(decoded, vars, this.obis, this.now());
    const fresh: Reading[] = [];
    let duplicates = 0;
    for (const reading of readings) {
      const ids = identities(reading);
      if (this.dedup.isDuplicate(reading.meter, reading.ts, reading.seq) || ids.some((id) => inFlight?.has(id))) {
        duplicates++;
        continue;
      }
      for (const id of ids) inFlight?.add(id);
      fresh.push(reading);
    }
    return { vars, readings: fresh, rejections, duplicates };
  }

  commit(readings: readonly Reading[]): void {
    for (const reading of readings) this.dedup.remember(reading.meter, reading.ts, reading.seq);
  }
}

export function identities(reading: Reading): string[] {
  const ids = [`${reading.meter}\u0000t${reading.ts}`];
  if (reading.seq !== undefined) ids.push(`${reading.meter}\u0000s${reading.seq}`);
  return ids;
}
