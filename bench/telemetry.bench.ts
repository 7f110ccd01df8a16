// smartgrid-telemetry end to end on this machine, side by side with a mosquitto bridge (persistence on):
// sustained readings/s (local broker -> forwarder -> fsync'd disk queue -> upstream TLS PUBACK), p50/p95/p99
// latency at 1,000 readings/s, drain rate of a pre-filled backlog (default 1,000,000 readings), RSS, and bytes
// written to disk per reading. Env: TELEMETRY_BENCH_BACKLOG, TELEMETRY_BENCH_SUSTAINED, TELEMETRY_BENCH_LATENCY_S,
// TELEMETRY_BENCH_CONFIG (JSON overriding forwarder options), TELEMETRY_BENCH_NODE_FLAGS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/lib/log.js';
import { TELEMETRY_NODE_FLAGS } from '../tools/feed/catalog.js';
import { DiskQueue } from '../src/telemetry/queue/index.js';
import { generateCerts } from '../test/helpers/certs.js';
import { startMosquitto } from '../test/helpers/mosquitto.js';
import { blast, CountingObserver, paced, percentile, publisher, reading, rssMb, sleep, startBridge, writeBytes } from '../test/integration/telemetry/bench-support.js';
import { bundleForwarder, spawnForwarder } from '../test/integration/telemetry/child.js';
import { DEFAULTS } from '../test/integration/telemetry/harness.js';

const BACKLOG = Number(process.env.TELEMETRY_BENCH_BACKLOG ?? 1_000_000);
const SUSTAINED = Number(process.env.TELEMETRY_BENCH_SUSTAINED ?? 50_000);
const LATENCY_S = Number(process.env.TELEMETRY_BENCH_LATENCY_S ?? 8);
const METERS = 300;
/** Default: the flags of the procd command on the device (tools/feed/catalog.ts); "" to measure node's defaults. */
const NODE_FLAGS = process.env.TELEMETRY_BENCH_NODE_FLAGS !== undefined ? process.env.TELEMETRY_BENCH_NODE_FLAGS.split(' ').filter(Boolean) : [...TELEMETRY_NODE_FLAGS];

interface Row { sustained?: number; p50?: number; p95?: number; p99?: number; drain?: number; rss?: number; diskPerReading?: number }
const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));

async function waitCount(observer: CountingObserver, target: number, idleMs = 15_000): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  while (observer.received < target) {
    if (observer.received !== last) { last = observer.received; lastChange = Date.now(); }
    if (Date.now() - lastChange > idleMs) throw new Error(`stalled at ${observer.received} of ${target}`);
    await sleep(20);
  }
}

const certs = generateCerts();
const work = mkdtempSync(join(tmpdir(), 'sg-telemetry-bench-'));
const upstream = await startMosquitto({ tls: { certs }, plain: false, maxInflight: 1000 });
const forwarder: Row = {};
const bridgeRow: Row = {};
const encoded = Buffer.byteLength(reading(1, 123456, Date.now()));
try {
  // ---- forwarder: sustained throughput + latency ----
  const local = await startMosquitto({ maxInflight: 1000 });
  const bundle = await bundleForwarder(work);
  const config = { ...DEFAULTS, broker_port: local.port, queue_dir: join(work, 'queue'), upstream_host: 'localhost', upstream_port: upstream.tlsPort,
    upstream_ca_file: certs.caCert, upstream_cert_file: certs.clientCert, upstream_key_file: certs.clientKey, upstream_client_id: 'bench-gw', log_level: 'warn' as const,
    ...JSON.parse(process.env.TELEMETRY_BENCH_CONFIG ?? '{}') };
  const observer = await CountingObserver.connect(`mqtts://localhost:${upstream.tlsPort}`, certs, ['v1/gateway/telemetry'], 'gateway');
  let child = spawnForwarder(bundle, config, work, NODE_FLAGS);
  await child.ready;
  const pub = await publisher(local.port);
  let rssMax = 0;
  const sampler = setInterval(() => { rssMax = Math.max(rssMax, rssMb(child.child.pid!) || 0); }, 200);
  const io0 = writeBytes(child.child.pid!);
  let started = Date.now();
  await blast(pub, SUSTAINED, METERS);
  await waitCount(observer, SUSTAINED);
  forwarder.sustained = SUSTAINED / ((observer.lastAt - started) / 1000);
  forwarder.diskPerReading = (writeBytes(child.child.pid!) - io0) / SUSTAINED;
  const rssSustained = rssMax;
  observer.reset();
  const sent = await paced(pub, 1000, LATENCY_S, METERS);
  await waitCount(observer, sent);
  [forwarder.p50, forwarder.p95, forwarder.p99] = [50, 95, 99].map((p) => percentile(observer.latencies, p));
  await pub.endAsync(true);
  await child.terminate();

  // ---- forwarder: drain a pre-filled backlog ----
  const backlogDir = join(work, 'backlog');
  const queue = await DiskQueue.open({ dir: backlogDir, maxBytes: 4 * 1024 ** 3, maxAgeMs: 7 * 86400e3, fsyncIntervalMs: 10, log: createLogger({ name: 'bench', level: 'warn' }) });
  const fillStart = Date.now();
  const t0 = Date.now();
  for (let i = 0; i < BACKLOG; i += 10_000) {
    const batch = [];
    for (let j = i; j < Math.min(BACKLOG, i + 10_000); j++) {
      batch.push({ priority: 'telemetry' as const, key: `m${j % METERS}`, payload: Buffer.from(JSON.stringify({ ts: t0 + j, values: { energy_import_kwh: 1234.567 + j / 1000, power_import_kw: 1.25, voltage_l1_v: 230.1 } })) });
    }
    await queue.append(batch);
  }
  const diskBytes = queue.stats().diskBytes;
  await queue.close();
  console.log(`backlog: ${BACKLOG} readings appended in ${((Date.now() - fillStart) / 1000).toFixed(1)} s, ${(diskBytes / BACKLOG).toFixed(1)} bytes/reading on disk`);
  observer.reset();
  rssMax = 0;
  started = Date.now();
  child = spawnForwarder(bundle, { ...config, queue_dir: backlogDir, upstream_client_id: 'bench-drain', max_inflight: 16 }, work, NODE_FLAGS);
  await waitCount(observer, BACKLOG, 30_000);
  forwarder.drain = BACKLOG / ((observer.lastAt - started) / 1000);
  forwarder.rss = rssMax;
  console.log(`forwarder RSS max: ${rssSustained.toFixed(1)} MB during the sustained burst, ${rssMax.toFixed(1)} MB during the drain`);
  clearInterval(sampler);
  await child.terminate();
  await observer.close();
  await local.dispose();

  // ---- baseline: mosquitto bridge with persistence ----
  const bridge = await startBridge(upstream, certs);
  const raw = await CountingObserver.connect(`mqtts://localhost:${upstream.tlsPort}`, certs, ['telemetry/#'], 'raw');
  await sleep(1000);
  const bridgePid = Number((await import('node:child_process')).execFileSync('pgrep', ['-f', bridge.configFile]).toString().trim().split('\n')[0]);
  const bpub = await publisher(bridge.port);
  const bio0 = writeBytes(bridgePid);
  let bridgeRss = 0;
  const bsampler = setInterval(() => { bridgeRss = Math.max(bridgeRss, rssMb(bridgePid) || 0); }, 200);
  started = Date.now();
  await blast(bpub, SUSTAINED, METERS);
  await waitCount(raw, SUSTAINED);
  bridgeRow.sustained = SUSTAINED / ((raw.lastAt - started) / 1000);
  bridgeRow.diskPerReading = (writeBytes(bridgePid) - bio0) / SUSTAINED;
  raw.reset();
  const bsent = await paced(bpub, 1000, LATENCY_S, METERS);
  await waitCount(raw, bsent);
  [bridgeRow.p50, bridgeRow.p95, bridgeRow.p99] = [50, 95, 99].map((p) => percentile(raw.latencies, p));
  bridgeRow.rss = bridgeRss;
  clearInterval(bsampler);
  await bpub.endAsync(true);
  await raw.close();
  await bridge.dispose();
} finally {
  await upstream.dispose();
  certs.cleanup();
  rmSync(work, { recursive: true, force: true });
}

console.log(`\nforwarder node flags: ${NODE_FLAGS.join(' ') || '(none)'}`);
console.log(`\nreading as published: ${encoded} bytes JSON; ${METERS} meters; upstream mosquitto over TLS (mTLS); forwarder fsyncs every accepted batch,\nthe bridge's persistence is mosquitto's periodic snapshot (autosave_interval 1 s), not per message\n`);
const rows: Array<[string, (r: Row) => string, string]> = [
  ['sustained end to end (readings/s)', (r) => fmt(r.sustained), '-'],
  [`latency p50 @1000/s (ms)`, (r) => fmt(r.p50), ''],
  [`latency p95 @1000/s (ms)`, (r) => fmt(r.p95), '< 50'],
  [`latency p99 @1000/s (ms)`, (r) => fmt(r.p99), ''],
  [`drain of ${BACKLOG} backlog (readings/s)`, (r) => fmt(r.drain), '>= 10000'],
  ['RSS max (MB)', (r) => fmt(r.rss, 1), '< 64'],
  ['bytes written to disk per reading', (r) => fmt(r.diskPerReading, 1), `<= ${2 * encoded}`],
];
console.log(`${'metric'.padEnd(40)} ${'forwarder'.padStart(12)} ${'mosquitto bridge'.padStart(18)} ${'target'.padStart(10)}`);
for (const [name, get, target] of rows) console.log(`${name.padEnd(40)} ${get(forwarder).padStart(12)} ${get(bridgeRow).padStart(18)} ${target.padStart(10)}`);
console.log('\n(bridge: no drain figure — a bridge has no on-disk backlog format to pre-fill; its RSS is mosquitto\'s.)');
