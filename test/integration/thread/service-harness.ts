// The smartgrid-thread bundle as procd runs it, under the ubusd stand-in, configured from a UCI file,
// on the simulated RCP behind a real pty and the otbr-agent stand-in (routers around: OTBR_STANDIN_PEERS).
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceBundleOptions } from '../../../tools/bundling/service-bundle.mjs';
import { freePort } from '../../helpers/mosquitto.js';
import { startTestUbus, type TestUbus } from '../../helpers/ubus.js';
import { otbrAgentStandIn, otCtlStandIn } from '../../stand-ins/otbr/build.js';
import { NetifdStandIn } from '../../stand-ins/netifd/netifd.js';
import { startPtyRcp, type PtyRcp } from '../../stand-ins/rcp-sim/pty.js';

const REPO = existsSync(join(process.cwd(), 'src/thread/main.ts')) ? process.cwd() : join(__dirname, '../../..');

export interface RunningThread {
  bus: TestUbus;
  child: ChildProcess;
  rcp: PtyRcp;
  /** The /dev link UCI names (the schema wants a device under /dev, as on the gateway). */
  device: string;
  output: string[];
  /** With `netifd`: the stand-in running otbr-agent for network.<name>, and the network config file. */
  netifd?: NetifdStandIn;
  networkConfig: string;
  events: { what: string; data: Record<string, unknown> }[];
  status(): Promise<Record<string, any>>;
  stop(): Promise<void>;
}

export interface ThreadServiceOptions {
  /** A built bundle (build/bundles/smartgrid-thread.js); bundled from src when absent. */
  bundle?: string;
  nodeArgs?: string[];
  uci?: Record<string, string | number>;
  /** More environment for the service and the stand-ins it runs (OTBR_STANDIN_NETWORK=4-node). */
  env?: NodeJS.ProcessEnv;
  /** An `openthread` interface in /etc/config/network, run by the netifd stand-in; `network` gets the /dev link. */
  netifd?: { name: string; network(device: string): string };
}

async function bundleService(dir: string, prebuilt?: string): Promise<string> {
  // A CommonJS bundle under the repository's `"type": "module"` package.json would load as ESM: copy it out.
  const script = join(dir, 'smartgrid-thread.cjs');
  if (prebuilt) copyFileSync(prebuilt, script);
  else await build({ ...serviceBundleOptions(), entryPoints: [join(REPO, 'src/thread/main.ts')], outfile: script, format: 'cjs', logLevel: 'error' });
  return script;
}

export async function startThreadService(options: ThreadServiceOptions = {}): Promise<RunningThread> {
  const dir = mkdtempSync(join(tmpdir(), 'thread-svc-'));
  const script = await bundleService(dir, options.bundle);
  const rcp = await startPtyRcp({ path: join(dir, 'ttyACM0') });
  const device = `/dev/ttyRCPtest${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  symlinkSync(rcp.path, device);
  const bus = await startTestUbus();
  const events: RunningThread['events'] = [];
  await bus.client.listen('smartgrid.thread.*', (what, data) => { events.push({ what, data: data as Record<string, unknown> }); });
  mkdirSync(join(dir, 'uci'));
  const uci: Record<string, string | number> = { device, otbr_agent: await otbrAgentStandIn(), ot_ctl: await otCtlStandIn(), rest_port: await freePort(), state_file: join(dir, 'state', 'rcp.json'), infra_if: 'lo', ...options.uci };
  writeFileSync(join(dir, 'uci', 'smartgrid'), `config thread 'thread'\n${Object.entries(uci).map(([k, v]) => `\toption ${k} '${v}'`).join('\n')}\n`);
  const agentEnv = { ...process.env, OTBR_STANDIN_PEERS: '1', OTBR_STANDIN_SETTINGS: join(dir, 'otbr.json') };
  const networkConfig = join(dir, 'uci', 'network');
  let netifd: NetifdStandIn | undefined;
  if (options.netifd) {
    writeFileSync(networkConfig, options.netifd.network(device));
    netifd = new NetifdStandIn({ bus: await bus.newClient(), networkConfig, name: options.netifd.name, agentBinary: String(uci.otbr_agent), restPort: Number(uci.rest_port), backboneDevice: 'lo', env: agentEnv });
    await netifd.publish();
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    env: { ...agentEnv, SMARTGRID_UBUS_SOCKET: bus.socketPath, SMARTGRID_UCI_DIR: join(dir, 'uci'), OTBR_STANDIN_RUN_DIR: dir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return {
    bus, child, rcp, device, output, events, netifd, networkConfig,
    status: async () => (await bus.client.call('smartgrid.thread', 'status').catch(() => ({}))) as Record<string, any>,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await netifd?.close();
      await rcp.stop();
      await bus.stop();
      rmSync(device, { force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
