// smartgrid-sep2: GET /upt/<n>/mr/<m>/r over mutual TLS (TLS 1.2, ECDHE-ECDSA-AES128-CCM8) against the
// bundled server with 250 EndDevices registered and 250 metered UsagePoints fed through a real mosquitto:
// requests/s and p95 latency on keep-alive connections and with a full handshake per request, and the
// server's idle RSS with the node flags procd starts it with (tools/feed/catalog.ts), then bare node.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { SEP2_NODE_FLAGS } from '../tools/feed/catalog.js';
import { identityFromCertificate } from '../src/sep2/tls/lfdi.js';
import { startMosquitto } from '../test/helpers/mosquitto.js';
import { makeSep2Pki, type Pem, type Sep2Pki } from '../test/helpers/sep2-pki.js';
import { waitUntil } from '../test/helpers/ubus.js';
import { localPublisher } from '../test/integration/telemetry/harness.js';
import { startSep2, type RunningSep2 } from '../test/integration/sep2/harness.js';

const DEVICES = 250;
const METERS = 250;
const VALUES = ['1-0:1.8.0', '1-0:2.8.0', '1-0:32.7.0', '1-0:1.7.0'];
const seconds = Number(process.env.SEP2_BENCH_S ?? 10);
const concurrency = Number(process.env.SEP2_BENCH_CONNECTIONS ?? 8);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let failed = false;

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

/** LFDIs of the bench's real client certificate plus synthetic ones, 250 in all. */
function clientList(pki: Sep2Pki): string[] {
  const real = identityFromCertificate(pki.der(pki.clients.utility.cert)).lfdi;
  const synthetic = Array.from({ length: DEVICES - 1 }, (_, i) => `B${(i + 1).toString(16).toUpperCase().padStart(39, '0')}`);
  return [`${real}=utility`, ...synthetic.map((lfdi) => `${lfdi}=device`)];
}

async function feedMeters(port: number, sep2: RunningSep2): Promise<void> {
  const publisher = await localPublisher({ port } as never);
  const ts = Date.now();
  for (let meter = 0; meter < METERS; meter++) {
    const values = Object.fromEntries(VALUES.map((code, i) => [code, 1000 + meter + i / 10]));
    await publisher.publishAsync(`telemetry/bench/dcu-${meter % 10}/meter-${meter}`, JSON.stringify({ ts, values }), { qos: 1 });
  }
  await publisher.endAsync();
  await waitUntil(async () => Number((await sep2.status()).usage_points) >= METERS, 30_000, `${METERS} usage points`);
}

function get(port: number, pki: Sep2Pki, client: Pem, agent: Agent | false, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path, servername: 'localhost', agent, ca: readFileSync(pki.ca), cert: readFileSync(client.cert), key: readFileSync(client.key),
      ciphers: 'ECDHE-ECDSA-AES128-CCM8', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2',
    }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve(response.statusCode) : reject(new Error(`${path}: ${response.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function load(sep2: RunningSep2, pki: Sep2Pki, keepAlive: boolean): Promise<void> {
  const tls = { ca: readFileSync(pki.ca), cert: readFileSync(pki.clients.utility.cert), key: readFileSync(pki.clients.utility.key) };
  const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: concurrency, ...tls }) : false;
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  const worker = async () => {
    while (Date.now() < deadline) {
      const path = `/upt/${Math.floor(Math.random() * METERS)}/mr/${Math.floor(Math.random() * VALUES.length)}/r`;
      const t0 = process.hrtime.bigint();
      await get(sep2.port, pki, pki.clients.utility, agent, path);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (agent) agent.destroy();
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p95 = latencies[Math.floor(latencies.length * 0.95)];
  const rate = latencies.length / elapsed;
  console.log(`  ${keepAlive ? 'keep-alive connections ' : 'new handshake per request'}  ${rate.toFixed(0).padStart(6)} requests/s  p50 ${latencies[Math.floor(latencies.length / 2)].toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  (${latencies.length} requests, ${concurrency} concurrent)`);
  if (keepAlive && p95 > 100) failed = true;
}

async function idleRss(pid: number): Promise<number> {
  let peak = 0;
  for (let i = 0; i < 10; i++) { await sleep(1000); peak = Math.max(peak, rssKb(pid)); }
  return peak / 1024;
}

async function run(nodeFlags: string[], withLoad: boolean): Promise<void> {
  const pki = makeSep2Pki();
  const broker = await startMosquitto();
  const built = join(process.cwd(), 'build/bundles/smartgrid-sep2.js');
  const bundle = existsSync(built) ? built : undefined;
  const sep2 = await startSep2({ pki, nodeFlags, bundle: bundle && copyAsCjs(bundle), options: { broker_port: broker.port, client: clientList(pki) } });
  try {
    await feedMeters(broker.port, sep2);
    const idle = await idleRss(sep2.child.pid!);
    console.log(`server (${bundle ? 'build/bundles' : 'bundled here'}, node ${process.version} ${nodeFlags.join(' ') || '(no flags)'}): ${DEVICES} EndDevices, ${METERS} UsagePoints x ${VALUES.length} MeterReadings; idle RSS ${idle.toFixed(1)} MB`);
    if (withLoad) {
      await load(sep2, pki, true);
      await load(sep2, pki, false);
      console.log(`  RSS after the load ${(rssKb(sep2.child.pid!) / 1024).toFixed(1)} MB`);
    }
  } finally {
    await sep2.stop();
    await broker.dispose();
    pki.cleanup();
  }
}

/** The shipped bundle is CommonJS named .js under the repo's "type": "module": run a .cjs copy. */
function copyAsCjs(bundle: string): string {
  const copy = join(process.cwd(), 'build/bench/smartgrid-sep2.cjs');
  copyFileSync(bundle, copy);
  return copy;
}

await run(process.env.SEP2_NODE_ARGS?.split(' ').filter(Boolean) ?? [...SEP2_NODE_FLAGS], true);
await run([], false);
process.exit(failed ? 1 : 0);
