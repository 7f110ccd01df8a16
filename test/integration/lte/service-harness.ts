// Runs the bundled smartgrid-lte service against the ubusd stand-in and the scripted mmcli.
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceBundleOptions } from '../../../tools/bundling/service-bundle.mjs';
import { startTestUbus, waitUntil, type TestUbus } from '../../helpers/ubus.js';
import { writeScenario, type Scenario } from '../../stand-ins/mmcli/fixtures.js';

const besideRoot = new URL('../../../', import.meta.url).pathname;
const root = existsSync(join(besideRoot, 'src/lte/main.ts')) ? besideRoot : process.cwd();
export const MMCLI_STAND_IN = join(root, 'test/stand-ins/mmcli/mmcli.mjs');

export interface RunningLte {
  bus: TestUbus;
  child: ChildProcess;
  dir: string;
  scenarioFile: string;
  output: string[];
  setScenario(scenario: Scenario): void;
  stop(): Promise<void>;
}

function uciSection(options: Record<string, string | number | boolean | string[]>): string {
  const lines = ["config lte 'lte'"];
  for (const [key, value] of Object.entries(options)) {
    if (Array.isArray(value)) for (const item of value) lines.push(`\tlist ${key} '${item}'`);
    else lines.push(`\toption ${key} '${typeof value === 'boolean' ? (value ? 1 : 0) : value}'`);
  }
  return `${lines.join('\n')}\n`;
}

export async function bundleLteService(outDir: string): Promise<string> {
  const outfile = join(outDir, 'smartgrid-lte.js');
  await build({
    ...serviceBundleOptions(), entryPoints: [join(root, 'src/lte/main.ts')], outfile, format: 'cjs', logLevel: 'error',
  });
  return outfile;
}

export async function startLteService(options: Record<string, string | number | boolean | string[]>, scenario: Scenario, bundle?: string, nodeArgs: string[] = []): Promise<RunningLte> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-lte-svc-'));
  const scenarioFile = join(dir, 'scenario.json');
  writeScenario(scenarioFile, scenario);
  mkdirSync(join(dir, 'uci'));
  writeFileSync(join(dir, 'uci', 'smartgrid'), uciSection({ mmcli_path: MMCLI_STAND_IN, state_dir: join(dir, 'state'), ...options }));
  // A CommonJS bundle under the repo's `"type": "module"` package.json would load as ESM: copy it out.
  const script = bundle ? join(dir, 'smartgrid-lte.cjs') : await bundleLteService(dir);
  if (bundle) copyFileSync(bundle, script);
  const bus = await startTestUbus();
  const output: string[] = [];
  const child = spawn(process.execPath, [...nodeArgs, script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SMARTGRID_UBUS_SOCKET: bus.socketPath, SMARTGRID_UCI_DIR: join(dir, 'uci'), MMCLI_SCENARIO: scenarioFile },
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(...chunk.toString().trim().split('\n')));
  child.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().trim().split('\n')));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => { child.once('exit', resolve); setTimeout(resolve, 6000); });
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await bus.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => {
      try {
        const status = await bus.client.call('smartgrid.lte', 'status', {});
        return status.state === 'running';
      } catch {
        return false;
      }
    }, 15_000, 'smartgrid.lte to publish its status');
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output.join('\n')}`);
  }
  return { bus, child, dir, scenarioFile, output, setScenario: (next) => writeScenario(scenarioFile, next), stop };
}
