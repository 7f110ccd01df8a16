import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../../../src/lib/log.js';
import { IngestPipeline } from '../../../src/telemetry/ingest/pipeline.js';
import type { Rejection } from '../../../src/telemetry/ingest/normalize.js';
import { Intake, type IntakeOptions } from '../../../src/telemetry/intake.js';
import { DiskQueue, QueueError } from '../../../src/telemetry/queue/index.js';
import type { TelemetryQueue } from '../../../src/telemetry/queue-port.js';
import { RuleEngine } from '../../../src/telemetry/rules/engine.js';
import { NOW } from './fuzz-payloads.js';
import { MemoryQueue } from './memory-queue.js';
import { tempDir } from '../telemetry-queue/queue-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

function intakeFor(queue: TelemetryQueue, extra: Partial<IntakeOptions> = {}) {
  const rejects: Array<{ topic: string; rejection: Rejection }> = [];
  const deadLetters: Array<{ topic: string; payload: Buffer; rejection: Rejection }> = [];
  let accepted = 0;
  const intake = new Intake({
    pipeline: new IngestPipeline({ topicPatterns: ['telemetry/{region}/{dcu}/{meter}'], obisMap: [], maxPayloadBytes: 4096, dedupWindow: 64, dedupMaxMeters: 1000, now: () => NOW }),
    rules: new RuleEngine({ range: [], rate: [], zscoreKeys: [], zscoreWindow: 5, zscoreThreshold: 2, maxMeters: 1000 }),
    queue, log: createLogger({ name: 'topic-fuzz', sink: memorySink() }), maxEntryBytes: 3000, retryMs: 10,
    deadLetter: (topic, payload, rejection) => deadLetters.push({ topic, payload, rejection }),
    onReject: (topic, rejection) => rejects.push({ topic, rejection }),
    onDuplicate: () => undefined, onAnomaly: () => undefined, onAccepted: (n) => { accepted += n; }, onMeter: () => undefined, onBlocked: () => undefined,
    ...extra,
  });
  return { intake, rejects, deadLetters, accepted: () => accepted };
}

async function diskQueue(): Promise<DiskQueue> {
  const temp = tempDir('topic-fuzz-');
  cleanups.push(temp.remove);
  const queue = await DiskQueue.open({ dir: temp.dir, log: createLogger({ name: 'q', sink: memorySink() }), fsyncIntervalMs: 1 });
  cleanups.push(() => queue.close());
  return queue;
}

/** Topics a field device may publish under the ingest prefix: any depth, empty, long, odd and multi-byte levels. */
function fuzzTopic(rand: () => number): string {
  const level = (): string => {
    const pick = Math.floor(rand() * 9);
    if (pick === 0) return '';
    if (pick === 1) return 'M'.repeat(1 + Math.floor(rand() * 400));
    if (pick === 2) return '\u00e9\u20ac\ud83d\ude00'.repeat(1 + Math.floor(rand() * 40));
    if (pick === 3) return ['a b', 'tab\there', '+', '#', 'x+y', '\u0000'][Math.floor(rand() * 6)];
    return `m${Math.floor(rand() * 50)}`;
  };
  const depth = rand() < 0.6 ? 3 : Math.floor(rand() * 9);
  return ['telemetry', ...Array.from({ length: depth }, level)].join('/');
}

const reading = (i: number) => Buffer.from(JSON.stringify({ ts: NOW - i * 1000, values: { energy_import_kwh: i } }));

describe('fuzzed topic levels', () => {
  it('a 256-character meter level is rejected as topic and the good readings around it are acknowledged', async () => {
    const queue = await diskQueue();
    const { intake, rejects } = intakeFor(queue);
    const acks: string[] = [];
    intake.handle('telemetry/r1/d1/good1', reading(1), () => acks.push('good1'));
    intake.handle(`telemetry/r1/d1/${'M'.repeat(256)}`, reading(2), () => acks.push('long'));
    intake.handle('telemetry/r1/d1/good2', reading(3), () => acks.push('good2'));
    await expect.poll(() => acks.length, { timeout: 30_000 }).toBe(3);
    expect(acks).toEqual(['good1', 'long', 'good2']);
    expect(rejects.map((r) => r.rejection.reason)).toEqual(['topic']);
    expect(rejects[0].rejection.detail).toMatch(/\{meter\} 'M{40}\.\.\.' is longer than 64 characters \(256\)/);
    expect(queue.stats().depth.telemetry).toBe(2);
  });

  it('2,000 fuzzed topics into the real disk queue: every message acknowledged in order, nothing internal, counts add up', async () => {
    const queue = await diskQueue();
    const { intake, rejects, accepted } = intakeFor(queue);
    const rand = prng(11);
    const acks: number[] = [];
    const total = 2000;
    for (let i = 0; i < total; i++) intake.handle(fuzzTopic(rand), reading(i), () => acks.push(i));
    await expect.poll(() => acks.length, { timeout: 60_000 }).toBe(total);
    expect(acks).toEqual(Array.from({ length: total }, (_, i) => i));
    const reasons = new Set(rejects.map((r) => r.rejection.reason));
    expect([...reasons]).toEqual(['topic']);
    expect(accepted() + rejects.length).toBe(total);
    expect(queue.stats().depth.telemetry).toBe(accepted());
    expect(accepted()).toBeGreaterThan(300);
    for (const { rejection } of rejects) expect(rejection.detail.length).toBeLessThan(400);
  });
});

/** A memory queue that refuses, for good, every record of one meter (what the disk queue does with a key it cannot store). */
class RefusingQueue extends MemoryQueue {
  constructor(private readonly refusedKey: string) { super(); }

  override async append(records: Array<{ priority: 'alarm' | 'event' | 'telemetry'; key: string; payload: Buffer }>): Promise<void> {
    const index = records.findIndex((record) => record.key === this.refusedKey);
    if (index >= 0) throw new QueueError('invalid-record', `key ${this.refusedKey} refused`, { recordIndex: index });
    return super.append(records);
  }
}

describe('queue refusals: permanent vs temporary', () => {
  it('a record refused for good is dead-lettered and acknowledged; the rest of its group is appended at once', async () => {
    const queue = new RefusingQueue('bad');
    const { intake, deadLetters } = intakeFor(queue);
    const acks: string[] = [];
    for (const meter of ['a', 'bad', 'b', 'c']) intake.handle(`telemetry/r/d/${meter}`, reading(meter.length), () => acks.push(meter));
    await expect.poll(() => acks.length, { timeout: 10_000 }).toBe(4);
    expect(acks).toEqual(['a', 'bad', 'b', 'c']);
    expect(queue.all().map((r) => r.key)).toEqual(['a', 'b', 'c']);
    expect(deadLetters.map((d) => [d.topic, d.rejection.reason])).toEqual([['telemetry/r/d/bad', 'queue-refused']]);
    expect(deadLetters[0].rejection.detail).toContain('key bad refused');
    expect(intake.blockedReason).toBeUndefined();
  });

  it('a temporary refusal (disk full) holds the group and its acknowledgements until the queue accepts', async () => {
    const queue = new MemoryQueue();
    queue.failWith = new QueueError('disk-full', 'disk full while writing: ENOSPC');
    const { intake } = intakeFor(queue);
    const acks: string[] = [];
    intake.handle('telemetry/r/d/a', reading(1), () => acks.push('a'));
    await expect.poll(() => intake.blockedReason, { timeout: 10_000 }).toMatch(/ENOSPC/);
    expect(acks).toEqual([]);
    queue.failWith = undefined;
    await expect.poll(() => acks, { timeout: 10_000 }).toEqual(['a']);
    expect(queue.all()).toHaveLength(1);
  });
});
