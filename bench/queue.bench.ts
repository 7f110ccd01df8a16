// Durable queue benchmark: group-committed appends, 1,000,000-record drain (in a fresh process, as a
// restarted forwarder would), RSS during the drain and disk bytes per reading.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/lib/log.js';
import { DiskQueue } from '../src/telemetry/queue/index.js';
import { TELEMETRY_NODE_FLAGS } from '../tools/feed/catalog.js';

const BACKLOG = Number(process.env.QUEUE_BENCH_BACKLOG ?? 1_000_000);
const APPEND_SECONDS = 3;
const log = createLogger({ name: 'bench-queue', level: 'warn' });

function reading(i: number): { key: string; payload: Buffer } {
  const meter = `meter-${String(i % 12_500).padStart(5, '0')}`;
  const payload = JSON.stringify({ ts: 1_732_190_000_000 + i * 1000, values: { energy_import_kwh: 12_345.678 + i / 1000, power_kw: 1.234, voltage_l1_v: 230.1 } });
  return { key: meter, payload: Buffer.from(payload) };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : Number.NaN;
}

/** Closed loop: `producers` callers each append and wait, as many concurrent MQTT messages would. */
async function appendThroughput(producers: number, perAppend: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'queue-bench-'));
  const queue = await DiskQueue.open({ dir, log, fsyncIntervalMs: 20 });
  const latencies: number[] = [];
  let count = 0;
  const until = Date.now() + APPEND_SECONDS * 1000;
  const started = Date.now();
  await Promise.all(Array.from({ length: producers }, async (_, p) => {
    for (let n = 0; Date.now() < until; n++) {
      const batch = Array.from({ length: perAppend }, (_, j) => ({ priority: 'telemetry' as const, ...reading(p * 1_000_000 + n * perAppend + j) }));
      const t0 = performance.now();
      await queue.append(batch);
      latencies.push(performance.now() - t0);
      count += perAppend;
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  const fsyncs = queue.stats().counters.fsyncs;
  await queue.close();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return { readingsPerSec: count / seconds, fsyncsPerSec: fsyncs / seconds, p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95), p99Ms: percentile(latencies, 0.99) };
}

/** Open loop: one single-reading append every 1000/rate ms, latency until the append resolves. */
async function appendLatency(rate: number, seconds: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'queue-bench-'));
  const queue = await DiskQueue.open({ dir, log, fsyncIntervalMs: 20 });
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) {
      const t0 = performance.now();
      pending.push(queue.append([{ priority: 'telemetry', ...reading(sent) }]).then(() => { latencies.push(performance.now() - t0); }));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  await queue.close();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return { p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95), p99Ms: percentile(latencies, 0.99) };
}

async function fillBacklog(dir: string): Promise<Record<string, number>> {
  const queue = await DiskQueue.open({ dir, log, fsyncIntervalMs: 20 });
  const started = Date.now();
  let payloadBytes = 0;
  let keyBytes = 0;
  const chunk = 5_000;
  for (let i = 0; i < BACKLOG; i += chunk) {
    const batch = Array.from({ length: Math.min(chunk, BACKLOG - i) }, (_, j) => ({ priority: 'telemetry' as const, ...reading(i + j) }));
    for (const record of batch) {
      payloadBytes += record.payload.length;
      keyBytes += Buffer.byteLength(record.key);
    }
    await queue.append(batch);
  }
  const seconds = (Date.now() - started) / 1000;
  const diskBytes = queue.stats().diskBytes;
  await queue.close();
  return { seconds, diskBytes, payloadBytes, keyBytes };
}

/** Runs in a child process: reopen the backlog and drain it with peek + fsync'd ack. */
async function drainChild(dir: string): Promise<void> {
  const rssAtStart = process.memoryUsage().rss;
  let maxRss = rssAtStart;
  const sampler = setInterval(() => { maxRss = Math.max(maxRss, process.memoryUsage().rss); }, 50);
  const openStart = Date.now();
  const queue = await DiskQueue.open({ dir, log, fsyncIntervalMs: 20 });
  const openMs = Date.now() - openStart;
  const rssAfterOpen = process.memoryUsage().rss;
  const started = Date.now();
  let drained = 0;
  const window: Promise<void>[] = [];
  for (;;) {
    const batch = queue.peek(1000, 60 * 1024);
    if (batch.length === 0) {
      if (window.length === 0) break;
      await window.shift();
      continue;
    }
    drained += batch.length;
    window.push(queue.ack(batch.map((record) => record.seq)));
    if (window.length >= 4) await window.shift();
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
  }
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const stats = queue.stats();
  await queue.close();
  process.stdout.write(JSON.stringify({ drained, seconds, openMs, rssAtStartMb: rssAtStart / 2 ** 20, rssAfterOpenMb: rssAfterOpen / 2 ** 20, maxRssMb: maxRss / 2 ** 20, left: stats.depth.telemetry, diskBytesAfter: stats.diskBytes }) + '\n');
}

/** Drains the backlog in `dir` in a fresh node process started with `flags`. */
function drainIn(dir: string, flags: readonly string[]): Record<string, number> {
  const child = spawnSync(process.execPath, [...flags, process.argv[1], 'drain', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`drain child failed with status ${child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as Record<string, number>;
}

function table(title: string, rows: Array<[string, string, string]>): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((row) => row[0].length));
  for (const [name, value, target] of rows) console.log(`  ${name.padEnd(width)}  ${value.padStart(14)}  ${target}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'drain') return drainChild(process.argv[3]);
  const single = await appendThroughput(1000, 1);
  const batched = await appendThroughput(50, 50);
  const nominal = await appendLatency(1000, 3);
  const dir = mkdtempSync(join(tmpdir(), 'queue-bench-backlog-'));
  try {
    const fill = await fillBacklog(dir);
    cpSync(dir, `${dir}-copy`, { recursive: true });
    // The service runs with TELEMETRY_NODE_FLAGS (README "RAM"); the plain run shows what they buy.
    const plain = drainIn(`${dir}-copy`, []);
    rmSync(`${dir}-copy`, { recursive: true, force: true });
    const drain = drainIn(dir, TELEMETRY_NODE_FLAGS);
    const perReading = fill.diskBytes / BACKLOG;
    const payload = fill.payloadBytes / BACKLOG;
    table('Durable queue (fsync on, fsync interval 20 ms)', [
      ['metric', 'measured', 'target'],
      ['append, 1000 concurrent x 1 reading', `${single.readingsPerSec.toFixed(0)}/s`, '>= 10,000/s fsync\'d'],
      ['  fsyncs/s; append p50/p95/p99', `${single.fsyncsPerSec.toFixed(0)}; ${single.p50Ms.toFixed(0)}/${single.p95Ms.toFixed(0)}/${single.p99Ms.toFixed(0)} ms`, ''],
      ['append, 50 concurrent x 50 readings', `${batched.readingsPerSec.toFixed(0)}/s`, '>= 10,000/s fsync\'d'],
      ['  fsyncs/s; append p50/p95/p99', `${batched.fsyncsPerSec.toFixed(0)}; ${batched.p50Ms.toFixed(0)}/${batched.p95Ms.toFixed(0)}/${batched.p99Ms.toFixed(0)} ms`, ''],
      ['append at 1,000 readings/s: p50/p95/p99', `${nominal.p50Ms.toFixed(1)}/${nominal.p95Ms.toFixed(1)}/${nominal.p99Ms.toFixed(1)} ms`, 'queue share of e2e p95 < 50 ms'],
      [`fill ${BACKLOG} readings (5,000 per append)`, `${(BACKLOG / fill.seconds).toFixed(0)}/s`, ''],
      ['reopen (recovery scan) of the backlog', `${drain.openMs} ms`, ''],
      [`drain ${drain.drained} readings (peek 1000 + ack)`, `${(drain.drained / drain.seconds).toFixed(0)}/s`, '>= 10,000/s'],
      ['  drain time', `${drain.seconds.toFixed(1)} s`, ''],
      [`RSS idle / reopened / max in drain (${TELEMETRY_NODE_FLAGS.join(' ')})`, `${drain.rssAtStartMb.toFixed(1)}/${drain.rssAfterOpenMb.toFixed(1)}/${drain.maxRssMb.toFixed(1)} MB`, '< 64 MB'],
      ['  same without node flags: RSS max; drain', `${plain.maxRssMb.toFixed(1)} MB; ${(plain.drained / plain.seconds).toFixed(0)}/s`, ''],
      ['records left after drain', String(drain.left), '0'],
      ['payload (encoded reading) per reading', `${payload.toFixed(1)} B`, ''],
      ['disk bytes per reading (segments)', `${perReading.toFixed(1)} B`, `<= ${(2 * payload).toFixed(0)} B (2x payload)`],
      ['  ratio disk / payload', `${(perReading / payload).toFixed(2)}x`, '<= 2x'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-copy`, { recursive: true, force: true });
  }
}

await main();
