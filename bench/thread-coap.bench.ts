// smartgrid-thread CoAP bridge: confirmable CoAP readings/s through the bridge into a real mosquitto
// (each answered 2.04 only after mosquitto's PUBACK), and the latency from the POST to that ACK at a
// fixed 2,000 readings/s (targets >= 2,000/s, p95 < 20 ms). The bridge runs in its own process,
// bundled with the shipped esbuild options and started with the node flags of its procd command
// (THREAD_NODE_FLAGS), then with bare node. The nodes are the `coap` library's client in this process,
// one socket per node address (127.0.0.2-51, seen by the bridge's dual-stack socket as ::ffff:127.0.0.x),
// so duplicate detection and rate limits work per node as in the field.
// Run from the repository root (bench/run.mjs does).
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request, type IncomingMessage } from 'coap';
import { build } from 'esbuild';
import mqtt from 'mqtt';
import { THREAD_NODE_FLAGS } from '../tools/feed/catalog.js';
import { serviceBundleOptions } from '../tools/bundling/service-bundle.mjs';
import { startMosquitto, type Mosquitto } from '../test/helpers/mosquitto.js';
import { freeUdpPort } from '../test/integration/thread/coap-harness.js';

const TOTAL = Number(process.env.COAP_BENCH_READINGS ?? 20_000);
const CONCURRENCY = Number(process.env.COAP_BENCH_CONCURRENCY ?? 64);
const RATE = Number(process.env.COAP_BENCH_RATE ?? 2000);
const RATE_SECONDS = Number(process.env.COAP_BENCH_RATE_S ?? 10);
const METERS = 300;
const NODES = 50;
let failed = false;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function bundleBridge(dir: string): Promise<string> {
  const outfile = join(dir, 'bridge.mjs');
  await build({
    ...serviceBundleOptions(), entryPoints: [join(process.cwd(), 'test/integration/thread/coap-bridge-entry.ts')], outfile, format: 'esm',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

async function startBridge(bundle: string, flags: readonly string[], broker: Mosquitto, port: number): Promise<ChildProcess> {
  const config = { coap_listen: ['::'], coap_port: port, mqtt_port: broker.port, node_rate: 100_000, node_burst: 100_000, region: 'bench' };
  const child = spawn(process.execPath, [...flags, bundle, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('READY')) resolve(); });
    child.once('exit', (code) => reject(new Error(`bridge exited ${code}`)));
  });
  return child;
}

let sequence = 0;
/** The nodes: a CoAP client socket on each of NODES loopback addresses. */
async function nodeAgents(): Promise<Agent[]> {
  return Promise.all(Array.from({ length: NODES }, async (_, i) => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, `127.0.0.${i + 2}`, () => resolve()));
    return new Agent({ type: 'udp4', socket });
  }));
}

/** One confirmable POST of a JSON reading from a meter's node; resolves with the ms until the bridge's answer. */
function postReading(agents: Agent[], port: number): Promise<number> {
  const index = sequence++ % METERS;
  const meter = `meter-${index}`;
  const agent = agents[index % NODES]!;
  const body = JSON.stringify({ meter, ts: Date.now(), values: { '1-0:1.8.0': 1234.5 + sequence, '1-0:32.7.0': 230.1 } });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', pathname: '/t', confirmable: true, agent, contentFormat: 'application/json' });
    req.on('response', (response: IncomingMessage) => (response.code === '2.04' ? resolve(performance.now() - started) : reject(new Error(`answer ${response.code}`))));
    req.on('error', reject);
    req.end(body);
  });
}

async function closedLoop(nodes: Agent[], port: number): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let sent = 0;
  const started = performance.now();
  const worker = async () => { while (sent < TOTAL) { sent++; latencies.push(await postReading(nodes, port)); } };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { perSecond: TOTAL / ((performance.now() - started) / 1000), latencies: latencies.sort((a, b) => a - b) };
}

async function fixedRate(nodes: Agent[], port: number): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const total = RATE * RATE_SECONDS;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(postReading(nodes, port).then((ms) => { latencies.push(ms); }));
  }
  await Promise.all(pending);
  return latencies.sort((a, b) => a - b);
}

async function run(label: string, bundle: string, flags: readonly string[]): Promise<void> {
  const broker = await startMosquitto({ maxInflight: 1000 });
  const counter = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4 });
  let received = 0;
  counter.on('message', () => { received++; });
  await new Promise<void>((resolve) => counter.once('connect', () => resolve()));
  await counter.subscribeAsync('telemetry/#', { qos: 0 });
  const port = await freeUdpPort();
  const bridge = await startBridge(bundle, flags, broker, port);
  const nodes = await nodeAgents();
  try {
    for (let i = 0; i < 500; i++) await postReading(nodes, port);
    const throughput = await closedLoop(nodes, port);
    const atRate = await fixedRate(nodes, port);
    const expected = 500 + TOTAL + RATE * RATE_SECONDS;
    const deadline = Date.now() + 10_000;
    while (received < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const p = (q: number) => quantile(atRate, q).toFixed(1);
    console.log(`${label}: ${throughput.perSecond.toFixed(0)} readings/s (${TOTAL} CON POSTs, ${CONCURRENCY} in flight, p95 ${quantile(throughput.latencies, 0.95).toFixed(1)} ms);`
      + ` at ${RATE}/s for ${RATE_SECONDS} s: p50 ${p(0.5)} / p95 ${p(0.95)} / p99 ${p(0.99)} ms; in mosquitto ${received} of ${expected}`);
    if (throughput.perSecond < 2000 || quantile(atRate, 0.95) >= 20 || received < expected) failed = true;
  } finally {
    for (const node of nodes) node.close();
    bridge.kill('SIGTERM');
    await counter.endAsync(true);
    await broker.dispose();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'sg-coap-bench-'));
try {
  const bundle = await bundleBridge(dir);
  await run(`shipped flags (${THREAD_NODE_FLAGS.join(' ')})`, bundle, THREAD_NODE_FLAGS);
  // COAP_BENCH_FLAGS: other node flags to compare (e.g. "--no-opt"), instead of bare node.
  const other = process.env.COAP_BENCH_FLAGS;
  await run(other ? `flags ${other}` : 'bare node', bundle, other ? other.split(' ').filter(Boolean) : []);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) console.log('thread-coap: below target (>= 2000 readings/s, p95 < 20 ms, every reading in mosquitto)');
process.exit(failed ? 1 : 0);
