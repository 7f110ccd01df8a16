import { describe, expect, it } from 'vitest';
import { NOW } from './fuzz-payloads.js';
import { createLogger, memorySink } from '../../../src/lib/log.js';
import { IngestPipeline } from '../../../src/telemetry/ingest/pipeline.js';
import { Intake } from '../../../src/telemetry/intake.js';
import { RuleEngine } from '../../../src/telemetry/rules/engine.js';
import { fuzzPayloads } from './fuzz-payloads.js';
import { MemoryQueue } from './memory-queue.js';

describe('fuzzed payloads', () => {
  it('5,000 random and mutated JSON/CBOR payloads never throw, every message is acknowledged, and counts add up', async () => {
    const queue = new MemoryQueue();
    const sink = memorySink();
    const rejects = new Map<string, number>();
    let accepted = 0;
    let duplicates = 0;
    let acks = 0;
    const intake = new Intake({
      pipeline: new IngestPipeline({ topicPatterns: ['telemetry/{region}/{dcu}/{meter}'], obisMap: [], maxPayloadBytes: 4096, dedupWindow: 64, dedupMaxMeters: 100, now: () => NOW }),
      rules: new RuleEngine({ range: ['voltage_l1_v=200:250'], rate: ['energy_import_kwh=0.001'], zscoreKeys: ['energy_import_kwh'], zscoreWindow: 5, zscoreThreshold: 2, maxMeters: 100 }),
      queue, log: createLogger({ name: 'fuzz', sink }), maxEntryBytes: 3000,
      deadLetter: () => undefined,
      onReject: (_topic, { reason }) => rejects.set(reason, (rejects.get(reason) ?? 0) + 1),
      onDuplicate: (n) => { duplicates += n; }, onAnomaly: () => undefined, onAccepted: (n) => { accepted += n; }, onMeter: () => undefined, onBlocked: () => undefined,
    });
    const payloads = fuzzPayloads(5000, 7);
    payloads.forEach((payload, i) => intake.handle(`telemetry/r/d/m${i % 13}`, payload, () => { acks++; }));
    await new Promise((r) => setTimeout(r, 50));
    while (intake.waitingMessages) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 20));
    expect(acks).toBe(payloads.length);
    expect(rejects.get('internal') ?? 0).toBe(0);
    expect(accepted).toBe(queue.all().filter((r) => r.priority === 'telemetry').length);
    expect(accepted).toBeGreaterThan(500);
    expect([...rejects.keys()].sort()).toEqual(expect.arrayContaining(['decode-cbor', 'decode-json', 'schema']));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const r of queue.all()) expect(() => JSON.parse(r.payload.toString())).not.toThrow();
    expect(duplicates).toBeGreaterThanOrEqual(0);
  });

  it('holds acknowledgements while the queue refuses and releases them in order when it accepts again', async () => {
    const queue = new MemoryQueue();
    queue.failWith = new Error('disk full while writing: ENOSPC');
    const blocked: Array<string | undefined> = [];
    const acked: number[] = [];
    const intake = new Intake({
      pipeline: new IngestPipeline({ topicPatterns: ['t/{meter}'], obisMap: [], maxPayloadBytes: 4096, dedupWindow: 64, dedupMaxMeters: 100, now: () => NOW }),
      rules: new RuleEngine({ range: [], rate: [], zscoreKeys: [], zscoreWindow: 5, zscoreThreshold: 2, maxMeters: 10 }),
      queue, log: createLogger({ name: 'bp', sink: memorySink() }), maxEntryBytes: 3000, retryMs: 20,
      deadLetter: () => undefined, onReject: () => undefined, onDuplicate: () => undefined, onAnomaly: () => undefined, onAccepted: () => undefined, onMeter: () => undefined,
      onBlocked: (e) => blocked.push(e),
    });
    for (let i = 0; i < 5; i++) intake.handle('t/m', Buffer.from(JSON.stringify({ ts: NOW + i, values: { a: i } })), () => acked.push(i));
    await new Promise((r) => setTimeout(r, 100));
    expect(acked).toEqual([]);
    expect(intake.blockedReason).toMatch(/ENOSPC/);
    queue.failWith = undefined;
    await new Promise((r) => setTimeout(r, 100));
    expect(acked).toEqual([0, 1, 2, 3, 4]);
    expect(blocked).toEqual(['disk full while writing: ENOSPC', undefined]);
    expect(queue.all()).toHaveLength(5);
  });
});
