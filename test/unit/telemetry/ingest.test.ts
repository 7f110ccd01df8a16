import { encode as encodeCbor } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { decodePayload, detectEncoding } from '../../../src/telemetry/ingest/decode.js';
import { DuplicateFilter } from '../../../src/telemetry/ingest/dedup.js';
import { canonicalObis, ObisMapper } from '../../../src/telemetry/ingest/obis.js';
import { IngestPipeline } from '../../../src/telemetry/ingest/pipeline.js';
import { compileTopicPattern } from '../../../src/telemetry/ingest/topic.js';

const NOW = Date.UTC(2026, 10, 21);
const pipeline = (obisMap: string[] = []) => new IngestPipeline({ topicPatterns: ['telemetry/{region}/{dcu}/{meter}', 'site/{meter}/data'], obisMap, maxPayloadBytes: 4096, dedupWindow: 4, dedupMaxMeters: 2, now: () => NOW });

describe('topic patterns', () => {
  it('derives the subscription filter, matches levels exactly and renders command topics', () => {
    const pattern = compileTopicPattern('telemetry/{region}/{dcu}/{meter}');
    expect(pattern.filter).toBe('telemetry/+/+/+');
    expect(pattern.match('telemetry/eu/d1/m1')).toEqual({ region: 'eu', dcu: 'd1', meter: 'm1' });
    expect(pattern.match('telemetry/eu/d1')).toBeUndefined();
    expect(pattern.match('telemetry/eu//m1')).toBeUndefined();
    expect(pattern.match('other/eu/d1/m1')).toBeUndefined();
    expect(compileTopicPattern('command/{region}/{dcu}/{meter}').render({ region: 'eu', dcu: 'd1', meter: 'm1' })).toBe('command/eu/d1/m1');
    expect(compileTopicPattern('command/{dcu}/{meter}').render({ meter: 'm1' })).toBeUndefined();
    expect(compileTopicPattern('command/{meter}').render({ meter: 'a/#' })).toBeUndefined();
  });

  it('subscribes the literal prefix with # so a topic of the wrong depth arrives and is rejected with its depth', () => {
    expect(compileTopicPattern('telemetry/{region}/{dcu}/{meter}').wideFilter).toBe('telemetry/#');
    expect(compileTopicPattern('{meter}/data').wideFilter).toBe('+/data');
    const result = pipeline().process('telemetry/eu/d1/a/b/c/d/e', Buffer.from('{"ts":1,"values":{"a":1}}'));
    expect(result.rejections).toEqual([{ reason: 'topic', detail: "topic 'telemetry/eu/d1/a/b/c/d/e' (8 levels) matches no topic_pattern (4 or 3 levels)" }]);
  });
});

describe('non-finite values', () => {
  it('CBOR NaN and Infinity are bad-value (naming the key), not schema', () => {
    for (const value of [Number.NaN, Infinity, -Infinity]) {
      const result = pipeline().process('telemetry/eu/d1/m1', Buffer.from(encodeCbor({ ts: NOW, values: { voltage_l1_v: value } })));
      expect(result.rejections).toEqual([{ reason: 'bad-value', detail: 'values.voltage_l1_v is not a finite number' }]);
    }
    const obis = pipeline().process('telemetry/eu/d1/m1', Buffer.from(encodeCbor({ ts: NOW, obis: { '1-0:32.7.0': Number.NaN } })));
    expect(obis.rejections[0].reason).toBe('bad-value');
  });
});

describe('decoding', () => {
  it('tells JSON from CBOR by the first byte and reports the failure reason', () => {
    expect(detectEncoding(Buffer.from('  {"a":1}'))).toBe('json');
    expect(detectEncoding(Buffer.from(encodeCbor({ a: 1 })))).toBe('cbor');
    expect(decodePayload(Buffer.from(encodeCbor({ ts: 5, values: new Map([['a', 1]]) })), 100).value).toEqual({ ts: 5, values: { a: 1 } });
    expect(() => decodePayload(Buffer.from('{"a"'), 100)).toThrow(/invalid JSON/);
    expect(() => decodePayload(Buffer.alloc(0), 100)).toThrow(/empty/);
    expect(() => decodePayload(Buffer.alloc(200, 0x20), 100)).toThrow(/exceeds 100/);
  });
});

describe('OBIS normalisation', () => {
  it('accepts full, short and *255 forms, and UCI entries extend or override the table', () => {
    expect(canonicalObis('1-0:1.8.0*255')).toBe('1-0:1.8.0');
    expect(canonicalObis('32.7.0')).toBe('1-0:32.7.0');
    expect(canonicalObis('voltage')).toBeUndefined();
    const invalid: string[] = [];
    const mapper = new ObisMapper(['1-0:99.8.0=custom_kwh', '1-0:1.8.0=import_total_kwh', 'nonsense'], (e) => invalid.push(e));
    expect(mapper.keyFor('1-0:99.8.0')).toBe('custom_kwh');
    expect(mapper.keyFor('1.8.0')).toBe('import_total_kwh');
    expect(mapper.keyFor('1-0:72.7.0')).toBe('voltage_l3_v');
    expect(mapper.keyFor('1-0:2.8.2')).toBe('energy_export_t2_kwh');
    expect(invalid).toEqual(['nonsense']);
  });
});

describe('ingest pipeline', () => {
  it('normalises single readings, arrays and {readings:[]} envelopes; seconds become milliseconds', () => {
    const p = pipeline();
    const single = p.process('telemetry/eu/d1/m1', Buffer.from(JSON.stringify({ ts: NOW / 1000, obis: { '1-0:1.7.0': 2.5 } })));
    expect(single.readings).toEqual([{ meter: 'm1', ts: NOW, values: { power_import_kw: 2.5 } }]);
    const batch = p.process('site/m2/data', Buffer.from(encodeCbor([{ ts: NOW, seq: 1, values: { '31.7.0': 4 } }, { ts: NOW + 1, values: { x: true } }])));
    expect(batch.readings.map((r) => r.values)).toEqual([{ current_l1_a: 4 }, { x: true }]);
    expect(batch.vars).toEqual({ meter: 'm2' });
  });

  it('rejects with the reason and index but keeps the valid readings of a batch', () => {
    const result = pipeline().process('telemetry/eu/d1/m1', Buffer.from(JSON.stringify({ readings: [
      { ts: NOW, values: { a: 1 } }, { ts: NOW, values: {} }, { ts: NOW + 1, obis: { '9-9:9.9.9': 1 } }, { ts: NOW + 5 * 86400e3, values: { a: 1 } },
    ] })));
    expect(result.readings).toHaveLength(1);
    expect(result.rejections.map((r) => [r.reason, r.index])).toEqual([['schema', 1], ['unknown-obis', 2], ['bad-timestamp', 3]]);
    expect(result.rejections[0].detail).toMatch(/values/);
    expect(pipeline().process('nope/x', Buffer.from('{}')).rejections[0].reason).toBe('topic');
    expect(pipeline().process('telemetry/a/b/c', Buffer.from('{"ts":1e12,"values":{"a":1},"extra":1}')).rejections[0].detail).toMatch(/extra/);
  });

  it('drops duplicates by meter+ts or seq only once committed, and in the same commit group', () => {
    const p = pipeline();
    const msg = (ts: number, seq?: number) => Buffer.from(JSON.stringify({ ts, seq, values: { a: 1 } }));
    const inFlight = new Set<string>();
    const first = p.process('site/m1/data', msg(NOW, 1), inFlight);
    expect(p.process('site/m1/data', msg(NOW, 1), inFlight).duplicates).toBe(1);
    expect(p.process('site/m1/data', msg(NOW), new Set()).duplicates).toBe(0); // not committed yet
    p.commit(first.readings);
    expect(p.process('site/m1/data', msg(NOW), new Set()).duplicates).toBe(1);
    expect(p.process('site/m1/data', msg(NOW + 7, 1), new Set()).duplicates).toBe(1);
    expect(p.process('site/m2/data', msg(NOW, 1), new Set()).duplicates).toBe(0);
  });
});

describe('duplicate filter memory bound', () => {
  it('forgets the oldest identities per meter and the least recently seen meters', () => {
    const filter = new DuplicateFilter(2, 2);
    for (let ts = 1; ts <= 10; ts++) filter.remember('a', ts);
    expect(filter.isDuplicate('a', 10)).toBe(true);
    expect(filter.isDuplicate('a', 1)).toBe(false);
    filter.remember('b', 1);
    filter.remember('c', 1);
    expect(filter.meterCount).toBe(2);
    expect(filter.isDuplicate('a', 10)).toBe(false);
  });

  it('finds repeats among in-order, late and sequence-numbered readings alike', () => {
    const filter = new DuplicateFilter(4, 10);
    for (const ts of [10, 20, 30]) filter.remember('m', ts, ts / 10);
    expect(filter.isDuplicate('m', 40, 4)).toBe(false);
    expect(filter.isDuplicate('m', 40, 3)).toBe(true); // newer timestamp, repeated sequence number
    expect(filter.isDuplicate('m', 20)).toBe(true); // a late repeat
    expect(filter.isDuplicate('m', 15)).toBe(false); // late but new
    filter.remember('m', 15);
    expect(filter.isDuplicate('m', 15, 99)).toBe(true);
    expect(filter.isDuplicate('m', 31)).toBe(false);
  });
});

describe('meter admission (floods of new meter ids)', () => {
  const reading = Buffer.from(JSON.stringify({ ts: NOW, values: { a: 1 } }));
  const admit = (extra: { allowedMeters?: string[]; newMetersPerSecond?: number }) => new IngestPipeline({ topicPatterns: ['t/{meter}'], obisMap: [], maxPayloadBytes: 4096, dedupWindow: 4, dedupMaxMeters: 10_000, now: () => NOW, ...extra });

  it('with meter_allow, readings of other meters are rejected as unknown-meter', () => {
    const pipeline = admit({ allowedMeters: ['m1', 'm2'] });
    expect(pipeline.process('t/m1', reading).readings).toHaveLength(1);
    expect(pipeline.process('t/intruder', reading).rejections).toEqual([{ reason: 'unknown-meter', detail: "meter 'intruder' is not in meter_allow" }]);
  });

  it('5,000 new ids in one second: only new_meter_rate of them are taken; meters already seen are never limited', () => {
    const pipeline = admit({ newMetersPerSecond: 100 });
    pipeline.commit(pipeline.process('t/known', reading).readings);
    const results = Array.from({ length: 5000 }, (_, i) => pipeline.process(`t/new${i}`, reading));
    expect(results.filter((r) => r.readings.length).length).toBe(99);
    expect(results.filter((r) => r.rejections[0]?.reason === 'new-meter-rate').length).toBe(4901);
    const again = pipeline.process('t/known', Buffer.from(JSON.stringify({ ts: NOW + 1, values: { a: 2 } })));
    expect(again.readings).toHaveLength(1);
  });
});
