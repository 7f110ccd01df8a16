// smartgrid-thread: time from an RCP fault to the Thread role `leader` again, per fault (target < 15 s),
// on the simulated RCP behind a real socat pty and the otbr-agent stand-in (exit codes and timings of
// the real agent, ../shared/conformance/otbr; routers around, so a restarted agent is leader in 0.3 s);
// and the shipped bundle's idle CPU and RSS with the node flags procd starts it with (targets < 1 %, < 48 MB),
// serving network.json's 4-node network and reading its topology every 10 s (the shortest interval allowed).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageSpec } from '../tools/feed/catalog.js';
import { startThreadBed, type ThreadBed } from '../test/integration/thread/supervisor-harness.js';
import { startThreadService } from '../test/integration/thread/service-harness.js';
import { sampleIdle } from './idle-sample.js';

const runs = Number(process.env.THREAD_BENCH_RUNS ?? 3);
const idleSeconds = Number(process.env.THREAD_BENCH_IDLE_S ?? 20);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
let failed = false;

interface FaultCase { name: string; inject(bed: ThreadBed): Promise<void> }

const FAULTS: FaultCase[] = [
  { name: 'RCP reboots on the same port (agent exit 4)', inject: async (bed) => bed.dongle.rcp!.powerOn() },
  { name: 'RCP hangs (agent exit 6, USB re-authorisation)', inject: async (bed) => bed.dongle.rcp!.hang() },
  { name: 'RCP vanishes, back 1 s later as another ttyACM (exit 5)', inject: async (bed) => { await bed.dongle.unplug(); await sleep(1000); await bed.dongle.plug(); } },
  { name: 'otbr-agent killed (SIGKILL)', inject: async (bed) => { process.kill(bed.supervisor.agent!.pid!, 'SIGKILL'); } },
];

/** From the fault to the role leader again, as the supervisor's `state: running` reports it. */
async function recoveryMs(fault: FaultCase): Promise<number> {
  const bed = await startThreadBed();
  try {
    const served = bed.next('state', (d) => d.state === 'running');
    bed.supervisor.start();
    await served;
    const back = bed.next('state', (d) => d.state === 'running');
    const at = Date.now();
    await fault.inject(bed);
    await back;
    if (bed.supervisor.role !== 'leader') throw new Error(`role ${bed.supervisor.role} after recovery`);
    return Date.now() - at;
  } finally {
    await bed.close();
  }
}

async function recoveryBench(): Promise<void> {
  console.log(`recovery from the fault to role leader again, ${runs} runs each:`);
  for (const fault of FAULTS) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await recoveryMs(fault));
    const worst = Math.max(...times);
    console.log(`  ${fault.name.padEnd(58)} median ${String(median(times)).padStart(5)} ms  max ${String(worst).padStart(5)} ms  (target < 15000 ms: ${worst < 15_000 ? 'met' : 'MISSED'})`);
    if (worst >= 15_000) failed = true;
  }
}

async function idleBench(nodeArgs: string[], bareRssMb: number, shipped: boolean): Promise<void> {
  const bundle = join(process.cwd(), 'build/bundles/smartgrid-thread.js');
  const thread = await startThreadService({ bundle: existsSync(bundle) ? bundle : undefined, nodeArgs, uci: { topology_interval: 10 }, env: { OTBR_STANDIN_NETWORK: '4-node' } });
  try {
    while ((await thread.status()).radio_state !== 'running') await sleep(200);
    await sleep(3000);
    const { cpuPercent, peakRssMb: rssMb } = await sampleIdle(thread.child.pid!, idleSeconds);
    console.log(`idle service (bundled, serving the 4-node network, REST liveness every 5 s, topology every 10 s; node ${process.version} ${nodeArgs.join(' ') || '(no flags)'}) over ${idleSeconds} s:`);
    console.log(`  CPU ${cpuPercent.toFixed(2)} % (target < 1 %: ${cpuPercent < 1 ? 'met' : 'MISSED'}), peak RSS ${rssMb.toFixed(1)} MB (target < 48 MB: ${rssMb < 48 ? 'met' : 'MISSED'}; bare node here: ${bareRssMb.toFixed(1)} MB)`);
    if (shipped && (cpuPercent >= 1 || rssMb >= 48)) failed = true;
  } finally {
    await thread.stop();
  }
}

if (runs > 0) await recoveryBench();
const bareRssMb = Number(execFileSync(process.execPath, ['-e', 'setTimeout(() => console.log(process.memoryUsage().rss / 1048576), 1500)']).toString());
// First with the flags procd starts the service with (tools/feed/catalog.ts), then bare node for comparison.
await idleBench([...packageSpec('smartgrid-thread').service!.nodeFlags], bareRssMb, true);
await idleBench([], bareRssMb, false);
process.exit(failed ? 1 : 0);
