// Fleet: 200 simulated gateways (agents following openwisp-config's cycle and merge rules, each with its
// own root, polling every second at its own phase) under the OpenWISP controller stand-in on loopback.
// Measures the time from a template change on the controller to each gateway's `applied` report.
// Services are not started here (test/integration/fleet runs 20 gateways with the real bundles); the
// test_script is `true`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECTION_SCHEMAS } from '../src/lib/config/schemas/index.js';
import { fleetTemplates } from '../tools/fleet/templates.js';
import { startController } from '../test/stand-ins/openwisp-controller/controller.js';
import { OpenWispAgent } from '../test/stand-ins/openwisp-agent/agent.js';
import { writeTestConfig } from '../test/helpers/shipped-services.js';

const GATEWAYS = Number(process.env.FLEET_BENCH_GATEWAYS ?? 200);
const POLL_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

const work = mkdtempSync(join(tmpdir(), 'sg-fleet-bench-'));
const script = join(work, 'ok.sh');
writeFileSync(script, 'exit 0\n');
const controller = await startController({ sharedSecret: 's', templates: [fleetTemplates(SECTION_SCHEMAS).get('smartgrid-all.json')], groupVariables: { tb_host: 'tb.example', tb_port: '8883' } });
const agents = Array.from({ length: GATEWAYS }, (_, i) => {
  const root = join(work, `gw${i}`);
  mkdirSync(root, { recursive: true });
  writeTestConfig(root, {}, join(root, 'etc/config'));
  return new OpenWispAgent({ name: `gw${i}`, url: controller.url, sharedSecret: 's', root, reloadServices: async () => undefined, testScript: script, testEnv: { PATH: '/usr/bin:/bin' } });
});

let running = true;
const loops = agents.map(async (agent, i) => {
  await sleep((i * POLL_MS) / GATEWAYS);
  while (running) {
    await agent.cycle().catch((error: Error) => console.error(`gw${i}: ${error.message}`));
    await sleep(POLL_MS);
  }
});

const applied = () => [...controller.devices.values()].filter((d) => d.status === 'applied').length;
while (applied() < GATEWAYS) await sleep(100);
console.log(`${GATEWAYS} gateways registered and applied the initial template`);

const changedAt = Date.now();
controller.groupVariables.tb_port = '9883';
controller.changed();
while (applied() < GATEWAYS) await sleep(50);
const delays = [...controller.devices.values()].map((d) => d.reports.at(-1)!.at - changedAt);
running = false;
await Promise.all(loops);
await controller.close();
rmSync(work, { recursive: true, force: true });
console.log(`template change applied by ${GATEWAYS} gateways (poll every ${POLL_MS} ms): p50 ${percentile(delays, 50)} ms, p95 ${percentile(delays, 95)} ms, max ${Math.max(...delays)} ms`);
