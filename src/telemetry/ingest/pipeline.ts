import { DecodeError, decodePayload } from './decode.js';
import { DuplicateFilter } from './dedup.js';
import { normalizePayload, type Reading, type Rejection } from './normalize.js';
import { ObisMapper } from './obis.js';
import { compileTopicPattern, matchAny, topicValueProblem, type TopicPattern, type TopicVars } from './topic.js';

export interface IngestOptions {
  topicPatterns: readonly string[];
  obisMap: readonly string[];
  maxPayloadBytes: number;
  dedupWindow: number;
  dedupMaxMeters: number;
  now?: () => number;
  onInvalidObisEntry?(entry: string): void;
  /** Only these meter ids are taken (empty: any). */
  allowedMeters?: readonly string[];
  /** Meters not seen before taken per second (a flood of new ids is rejected beyond it); default unlimited. */
  newMetersPerSecond?: number;
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
  private readonly allowed: ReadonlySet<string> | undefined;
  private newMeterSecond = 0;
  private newMetersThisSecond = 0;

  constructor(private readonly options: IngestOptions) {
    this.allowed = options.allowedMeters?.length ? new Set(options.allowedMeters) : undefined;
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
    if (!vars || !vars.meter) return rejected('topic', this.unmatchedTopic(topic));
    for (const [name, value] of Object.entries(vars)) {
      const problem = topicValueProblem(name, value);
      if (problem) return rejected('topic', problem);
    }
    const refused = this.admit(vars.meter);
    if (refused) return { vars, ...refused };
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

  /** Allow-list and first-sight rate: the meter's readings are rejected, not held, when it is refused. */
  private admit(meter: string): Omit<IngestResult, 'vars'> | undefined {
    if (this.allowed && !this.allowed.has(meter)) return rejected('unknown-meter', `meter '${meter.slice(0, 64)}' is not in meter_allow`);
    const limit = this.options.newMetersPerSecond;
    if (!limit || this.dedup.knows(meter)) return undefined;
    const second = Math.floor(this.now() / 1000);
    if (second !== this.newMeterSecond) { this.newMeterSecond = second; this.newMetersThisSecond = 0; }
    if (++this.newMetersThisSecond <= limit) return undefined;
    return rejected('new-meter-rate', `more than ${limit} meters not seen before in one second (new_meter_rate)`);
  }

  private unmatchedTopic(topic: string): string {
    const levels = topic.split('/').length;
    const shown = topic.length > 120 ? `${topic.slice(0, 120)}...` : topic;
    const expected = [...new Set(this.patterns.map((p) => p.pattern.split('/').length))].join(' or ');
    return `topic '${shown}' (${levels} levels) matches no topic_pattern (${expected} levels)`;
  }

  commit(readings: readonly Reading[]): void {
    for (const reading of readings) this.dedup.remember(reading.meter, reading.ts, reading.seq);
  }
}

function rejected(reason: Rejection['reason'], detail: string): IngestResult {
  return { readings: [], rejections: [{ reason, detail }], duplicates: 0 };
}

export function identities(reading: Reading): string[] {
  const ids = [`${reading.meter}\u0000t${reading.ts}`];
  if (reading.seq !== undefined) ids.push(`${reading.meter}\u0000s${reading.seq}`);
  return ids;
}
