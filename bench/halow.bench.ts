// smartgrid-halow: planner time (10,000 points x 500 candidates, target < 5 s), apply latency
// (config reload -> rendered UCI written through the uci stand-in -> reload issued), presence
// detection delay (last frame -> `missing` event, 1 s interval x 3), and idle RSS/CPU of the shipped
// bundle with the shipped node flags (targets < 48 MB, < 1 %) with 20 DCUs on the hostapd stand-in.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { placeSites } from '../src/halow/planner/placement.js';
import { packageSpec } from '../tools/feed/catalog.js';
import { startHalow, halowSection, DEVICE_CONFIGS } from '../test/integration/halow/harness.js';
import { generateInstance } from '../test/unit/halow/planner-instance.js';
import { startMosquitto } from '../test/helpers/mosquitto.js';
import { startTestUbus, waitUntil } from '../test/helpers/ubus.js';
import { HostapdUbusStandIn } from '../test/stand-ins/hostapd/ubus-object.js';
import { StationSimulator } from '../test/stand-ins/hostapd/station-simulator.js';

let failed = false;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const verdict = (ok: boolean) => { if (!ok) failed = true; return ok ? 'met' : 'MISSED'; };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function benchPlanner(): void {
  const instance = generateInstance(10_000, 500, 1, 15);
  const runs: number[] = [];
  let result;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    result = placeSites({ ...instance, radiusM: 1500, capacity: 64, targetPct: 95 });
    runs.push(performance.now() - started);
  }
  const ms = median(runs);
  console.log(`planner 10,000 points x 500 candidates (R 1.5 km, C 64, P 95 %): median ${ms.toFixed(0)} ms of 3 (${runs.map((v) => v.toFixed(0)).join(', ')}); ${result!.sites.length} sites, coverage ${result!.coverage_pct} %   target < 5000 ms: ${verdict(ms < 5000)}`);
}

async function benchApply(): Promise<void> {
  const halow = await startHalow({ region: 'US', sae_password: 'bench-secret-1', auto_apply: 0, apply_delay: 0 });
  try {
    const latencies: number[] = [];
    for (let run = 0; run < 10; run++) {
      await halow.reconfigure({ region: 'US', sae_password: 'bench-secret-1', auto_apply: 0, apply_delay: 0, channel: run % 2 === 0 ? 12 : 44 });
      const started = performance.now();
      const reply = await halow.call('apply');
      latencies.push(performance.now() - started);
      if ((reply.apply as { result: string }).result !== 'applied') throw new Error(`apply: ${JSON.stringify(reply)}`);
    }
    const unchanged = performance.now();
    await halow.call('apply');
    console.log(`apply latency (ubus apply -> uci batch committed -> wifi reload issued): median ${median(latencies).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms of 10; unchanged apply ${(performance.now() - unchanged).toFixed(0)} ms, reloads issued ${halow.runner.calls.length}`);
  } finally {
    await halow.stop();
  }
}

async function benchPresence(): Promise<void> {
  const halow = await startHalow({ region: 'US', sae_password: 'bench-secret-1', auto_apply: 0, presence_interval: 1, missing_intervals: 3 }, DEVICE_CONFIGS, ['dcu-01 02:4d:4d:00:00:01 site 10']);
  const hostapd = new HostapdUbusStandIn(await halow.bus.newClient(), { ifname: 'wlan0', freq: 5570, bssid: '02:4d:4d:ff:00:01', ssid: 'bench' });
  await hostapd.start();
  const simulator = new StationSimulator(hostapd);
  const events: Array<{ presence: string; at: number }> = [];
  await halow.bus.client.listen('smartgrid.halow.dcu.presence', (_event, data) => events.push({ presence: String(data.presence), at: Date.now() }));
  const heartbeat = setInterval(() => simulator.tick(), 100);
  try {
    await waitUntil(() => hostapd.hasSubscribers, 20_000, 'subscription');
    await simulator.join('02:4d:4d:00:00:01', -60);
    await waitUntil(() => events.some((event) => event.presence === 'present'), 20_000, 'present');
    await sleep(1500);
    simulator.silence('02:4d:4d:00:00:01');
    const lastFrame = Date.now();
    await waitUntil(() => events.some((event) => event.presence === 'missing'), 30_000, 'missing');
    const delay = events.find((event) => event.presence === 'missing')!.at - lastFrame;
    simulator.silence('02:4d:4d:00:00:01', false);
    const back = Date.now();
    await waitUntil(() => events.filter((event) => event.presence === 'present').length === 2, 20_000, 'back');
    const backDelay = events.filter((event) => event.presence === 'present')[1]!.at - back;
    console.log(`presence: missing ${(delay / 1000).toFixed(2)} s after the last frame (3 x 1 s intervals; bound 3-4 s: ${verdict(delay >= 2900 && delay <= 4500)}), present again after ${(backDelay / 1000).toFixed(2)} s (within one interval + heartbeat: ${verdict(backDelay <= 1200)})`);
  } finally {
    clearInterval(heartbeat);
    await hostapd.stop();
    await halow.stop();
  }
}

function procStats(pid: number): { rssMb: number; ticks: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return { rssMb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024, ticks: Number(fields[11]) + Number(fields[12]) };
}

async function benchIdle(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-halow-bench-'));
  const broker = await startMosquitto();
  const bus = await startTestUbus();
  const hostapd = new HostapdUbusStandIn(await bus.newClient(), { ifname: 'wlan0', freq: 5570, bssid: '02:4d:4d:ff:00:01', ssid: 'bench' });
  await hostapd.start();
  const simulator = new StationSimulator(hostapd);
  const dcus = Array.from({ length: 20 }, (_, index) => `dcu-${index} 02:4d:4d:00:01:${index.toString(16).padStart(2, '0')} site 100`);
  for (const name of Object.keys(DEVICE_CONFIGS)) writeFileSync(join(dir, name), DEVICE_CONFIGS[name]!);
  writeFileSync(join(dir, 'smartgrid'), halowSection({ region: 'US', sae_password: 'bench-secret-1', auto_apply: 0, mqtt_port: broker.port, regdb_path: join(dir, 'none.csv') }, dcus));
  const script = join(dir, 'smartgrid-halow.cjs');
  copyFileSync(join(process.cwd(), 'build', 'bundles', 'smartgrid-halow.js'), script);
  const flags = process.env.HALOW_NODE_FLAGS !== undefined ? process.env.HALOW_NODE_FLAGS.split(' ').filter(Boolean) : [...packageSpec('smartgrid-halow').service!.nodeFlags];
  const child = spawn(process.execPath, [...flags, script], { stdio: 'ignore', env: { ...process.env, SMARTGRID_UBUS_SOCKET: bus.socketPath, SMARTGRID_UCI_DIR: dir } });
  const heartbeat = setInterval(() => simulator.tick(), 1000);
  try {
    await waitUntil(() => hostapd.hasSubscribers, 30_000, 'smartgrid-halow subscribed');
    for (const entry of dcus) await simulator.join(entry.split(' ')[1]!, -60);
    await sleep(5000);
    const start = procStats(child.pid!);
    const seconds = 20;
    let peak = start.rssMb;
    for (let i = 0; i < seconds; i++) { await sleep(1000); peak = Math.max(peak, procStats(child.pid!).rssMb); }
    const cpu = ((procStats(child.pid!).ticks - start.ticks) / 100 / seconds) * 100;
    console.log(`idle (20 DCUs polled every 10 s, broker connected; node ${process.version}, flags ${flags.join(' ') || '-'}): RSS peak ${peak.toFixed(1)} MB (target < 48 MB: ${verdict(peak < 48)}), CPU ${cpu.toFixed(2)} % over ${seconds} s (target < 1 %: ${verdict(cpu < 1)})`);
  } finally {
    clearInterval(heartbeat);
    child.kill('SIGKILL');
    await hostapd.stop();
    await bus.stop();
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The in-process service installs process-wide error handlers; a failed step must still fail the bench.
try {
  if (!process.env.HALOW_IDLE_ONLY) benchPlanner();
  if (!process.env.HALOW_IDLE_ONLY) await benchApply();
  if (!process.env.HALOW_IDLE_ONLY) await benchPresence();
  await benchIdle();
} catch (error) {
  console.error(`halow bench failed: ${(error as Error).stack ?? String(error)}`);
  failed = true;
}
process.exit(failed ? 1 : 0);
