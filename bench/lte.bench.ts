// smartgrid-lte: uplink-loss detection, time to traffic on LTE and failback in network namespaces with
// the real gateway stack (local mosquitto, bundled telemetry forwarder with its disk queue, bundled
// watchdog, ubusd stand-in; test/integration/lte/gateway-stack.ts) under telemetry load (target:
// failover < 10 s with default settings, zero readings lost), and the bundled watchdog's CPU and RSS
// at idle (target < 1 % CPU, RSS < 48 MB over ~20 s).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createUplinkTopology, netnsAvailable } from '../test/helpers/netns.js';
import { bundleStack, runFailoverScenario, type FailoverReading } from '../test/integration/lte/failover-scenario.js';
import { startLteService } from '../test/integration/lte/service-harness.js';
import { blackholePlan, degradedPlan, dnsPlan } from '../test/integration/lte/fault-plans.js';
import { runFaultScenario, type FaultReading } from '../test/integration/lte/fault-scenario.js';
import { connectedModemScenario } from '../test/stand-ins/mmcli/fixtures.js';
import { LTE_NODE_FLAGS } from '../tools/feed/catalog.js';

const runs = Number(process.env.LTE_BENCH_RUNS ?? 3);
const idleSeconds = Number(process.env.LTE_BENCH_IDLE_S ?? 20);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let failed = false;

async function failoverBench(): Promise<void> {
  if (runs <= 0) return;
  if (!netnsAvailable()) {
    console.log('failover: skipped (needs root and ip netns)');
    return;
  }
  const tools = await bundleStack();
  const readings: FailoverReading[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const topology = createUplinkTopology('sgbench');
      try {
        // WAN link down and back healthy: failback after 2 good rounds, no hold (as in the failover test);
        // the failback hold with the defaults is measured by the fault runs below.
        readings.push(await runFailoverScenario(topology, tools, { onLteMs: 2000, overrides: { lte: { uplink_failback_hold: 0, uplink_up: 2 } } }));
      } finally {
        topology.destroy();
      }
    }
  } finally {
    tools.cleanup();
  }
  const line = (label: string, values: number[], target = '') =>
    console.log(`  ${label.padEnd(44)} median ${String(median(values)).padStart(5)} ms  max ${String(Math.max(...values)).padStart(5)} ms${target}`);
  const traffic = readings.map((r) => r.trafficOnLteMs);
  const lost = readings.reduce((sum, r) => sum + r.delivery.lost.length, 0);
  const acked = readings.reduce((sum, r) => sum + r.acked, 0);
  const duplicates = readings.reduce((sum, r) => sum + r.delivery.duplicates, 0);
  const disorder = readings.reduce((sum, r) => sum + r.delivery.orderViolations.length, 0);
  const modesOk = readings.every((r) => r.modeOnLte === 'data-saving' && r.modeAfterFailback === 'normal');
  console.log(`failover runs: ${runs}, 50 readings/s from 10 meters through the real forwarder (watchdog: route poll 1000 ms, probe defaults; forwarder: its defaults, upstream_keepalive 15 s, data_saving_interval 300 s)`);
  line('uplink loss detected by the watchdog after', readings.map((r) => r.detectionMs));
  line('forwarder drops the dead WAN session after', readings.map((r) => r.sessionLostMs));
  line('forwarder session up over LTE after', readings.map((r) => r.lteSessionMs));
  line('first reading delivered over LTE after', traffic, `  (target < 10000 ms: ${Math.max(...traffic) < 10_000 ? 'met' : 'MISSED'})`);
  line('failback detected by the watchdog after', readings.map((r) => r.failbackMs));
  line('first reading over the WAN again after', readings.map((r) => r.trafficOnWanMs));
  console.log(`  readings lost end to end                     ${lost} of ${acked} acknowledged by the local broker (duplicates ${duplicates}, per-meter order violations ${disorder})`);
  console.log(`  forwarder mode on LTE / after failback       ${modesOk ? 'data-saving / normal in every run' : readings.map((r) => `${r.modeOnLte}/${r.modeAfterFailback}`).join(', ')}`);
  if (Math.max(...traffic) >= 10_000 || lost > 0 || disorder > 0 || !modesOk) failed = true;
}

const faultSeconds = (name: string, fallback: number) => Number(process.env[`LTE_BENCH_${name}_S`] ?? fallback);

/** Blackhole, degraded link and DNS failure on the WAN with the watchdog's defaults (failback hold 30 s). */
async function uplinkFaultsBench(): Promise<void> {
  if (process.env.LTE_BENCH_FAULTS === '0' || !netnsAvailable()) return;
  const tools = await bundleStack();
  const readings: FaultReading[] = [];
  try {
    for (const make of [
      (lab: ReturnType<typeof createUplinkTopology>) => Promise.resolve(blackholePlan(lab, faultSeconds('BLACKHOLE', 90) * 1000)),
      (lab: ReturnType<typeof createUplinkTopology>) => Promise.resolve(degradedPlan(lab, faultSeconds('DEGRADED', 180) * 1000)),
      (lab: ReturnType<typeof createUplinkTopology>) => dnsPlan(lab, faultSeconds('DNS', 30) * 1000),
    ]) {
      const lab = createUplinkTopology('sgbench');
      const plan = await make(lab);
      try {
        readings.push(await runFaultScenario(lab, tools, plan));
      } finally {
        lab.destroy();
        (plan as { cleanup?: () => void }).cleanup?.();
      }
    }
  } finally {
    tools.cleanup();
  }
  printFaults(readings);
}

function printFaults(readings: FaultReading[]): void {
  const ms = (value: number | undefined) => (value === undefined ? '—' : `${value} ms`);
  console.log('uplink faults (netns: gateway, ISP router, carrier router, cloud; watchdog defaults: 3 targets x 3 pings, interval 1 s, down 3, up 3, hold 30 s):');
  for (const r of readings) {
    const toLte = r.switches.filter((item) => item.to === 'lte').length;
    console.log(`  ${r.name.padEnd(10)} switches ${r.switches.map((item) => item.to).join('->') || 'none'} (to LTE ${toLte}); first reading over LTE ${ms(r.trafficOnLteMs)}; `
      + `failback decision ${ms(r.failbackDecisionMs)} after the fault cleared, first WAN reading ${ms(r.trafficOnWanAfterDecisionMs)} after it; `
      + `longest delivery gap ${r.longestGapMs} ms; lost ${r.delivery.lost.length} of ${r.acked}, duplicates ${r.delivery.duplicates}; `
      + `crossed egress ${r.egress['wan-from-lte-address']}/${r.egress['lte-from-wan-address']}`);
    if (r.delivery.lost.length || toLte > 1 || r.egress['wan-from-lte-address'] || r.egress['lte-from-wan-address']) failed = true;
    if (r.name === 'blackhole' && (r.trafficOnLteMs ?? Infinity) >= 10_000) failed = true;
    if (r.name === 'dns' && r.longestGapMs >= 15_000) failed = true;
    if ((r.trafficOnWanAfterDecisionMs ?? 0) >= 5000) failed = true;
  }
  console.log('  mwan3 (documented defaults interval 10 s, down 5, up 5; sample config interval 5 s, down 3, up 8): offline after down x interval = 50 s (15 s sample),');
  console.log('  online again after up x interval = 50 s (40 s sample); it tracks by IP, so a DNS failure is not detected.');
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

async function idleBench(nodeArgs: string[]): Promise<void> {
  const bundle = join(process.cwd(), 'build/bundles/smartgrid-lte.js');
  const lte = await startLteService(
    { device: 'lo', probe_targets: ['127.0.0.1'], route_source: 'ip' },
    connectedModemScenario(),
    existsSync(bundle) ? bundle : undefined,
    nodeArgs,
  );
  try {
    const pid = lte.child.pid!;
    await sleep(5000);
    const ticks0 = cpuTicks(pid);
    const t0 = Date.now();
    let peakRss = 0;
    while (Date.now() - t0 < idleSeconds * 1000) {
      await sleep(1000);
      peakRss = Math.max(peakRss, rssKb(pid));
    }
    const cpuPercent = ((cpuTicks(pid) - ticks0) / 100 / ((Date.now() - t0) / 1000)) * 100;
    const status = await lte.bus.client.call('smartgrid.lte', 'status', {});
    console.log(`idle watchdog (bundled, defaults: poll 5 s, probe 5 s, routes 1 s; node ${process.version} ${nodeArgs.join(' ') || '(no flags)'}) over ${idleSeconds} s:`);
    const rssMb = peakRss / 1024;
    console.log(`  CPU ${cpuPercent.toFixed(2)} % (target < 1 %: ${cpuPercent < 1 ? 'met' : 'MISSED'}), peak RSS ${rssMb.toFixed(1)} MB (target < 48 MB: ${rssMb < 48 ? 'met' : 'MISSED'}; bare node here: ${bareRssMb.toFixed(1)} MB), health ${(status.health as { status: string }).status}`);
    if (cpuPercent >= 1) failed = true;
  } finally {
    await lte.stop();
  }
}

await failoverBench();
await uplinkFaultsBench();
// RSS is reported against node's own baseline (an empty node process on the same machine).
const bareRssMb = Number(execFileSync(process.execPath, ['-e', 'setTimeout(() => console.log(process.memoryUsage().rss / 1048576), 1500)']).toString());
// First with the flags procd starts the watchdog with (tools/feed/catalog.ts), then bare node for comparison.
await idleBench(process.env.LTE_NODE_ARGS?.split(' ').filter(Boolean) ?? [...LTE_NODE_FLAGS]);
await idleBench([]);
process.exit(failed ? 1 : 0);
