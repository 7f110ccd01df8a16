// netifd stand-in for one `openthread` interface, written from the semantics of OpenWrt's openthread
// proto (openwrt/packages net/openthread-br, /lib/netifd/proto/openthread.sh) as the brief states them;
// no code of it is copied. It publishes `network.interface.<name>` (up, down, status) on the ubusd stand-in.
// On `up` it runs the otbr-agent stand-in the way the proto's setup does, from the network config read
// at that moment: `--auto-attach=0 -I<device> -B<backbone> <radio_url> trel://<backbone>`; it waits for
// the agent, sets the proto's `dataset`, starts Thread, and reports the interface up. On `down` it stops
// Thread and kills the command. When the command dies, the interface goes down; netifd would then re-run
// the setup unless the proto blocked restarts: `restartOnExit` chooses (default: blocked).
// Differences, all because the agent stand-in has neither the ubus `otbr` object nor `ot-ctl`: it waits for
// REST instead of ubus `otbr`; `dataset set active <hex>` becomes a REST PUT of the decoded TLVs as JSON;
// `threadstart`/`threadstop` become PUT /node/state enable/disable; `--rest-listen-port` is added so tests
// can run side by side (the real proto leaves REST at its default 8081); prefixes are not added.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { UbusClient } from '../../../src/lib/ubus/client.js';
import type { PublishedObject } from '../../../src/lib/ubus/types.js';
import { openthreadInterfaces } from '../../../src/thread/otbr/netifd.js';
import { OtbrRest } from '../../../src/thread/otbr/rest-client.js';
import { requireTool } from '../../helpers/tools.js';
import { datasetFromTlvs } from './tlvs.js';

export interface NetifdOptions {
  bus: UbusClient;
  /** The /etc/config/network file (read again on every `up`). */
  networkConfig: string;
  name: string;
  agentBinary: string;
  restPort: number;
  /** Backbone network name -> Linux device (netifd resolves it; tests use `lo`). */
  backboneDevice?: string;
  env?: NodeJS.ProcessEnv;
  restartOnExit?: boolean;
}

export class NetifdStandIn {
  up = false;
  pending = false;
  errors: string[] = [];
  /** Every `up` netifd acted on and every agent it started: tests read these. */
  readonly calls: string[] = [];
  readonly agentPids: number[] = [];
  private agent: ChildProcess | undefined;
  private object: PublishedObject | undefined;
  private readonly rest: OtbrRest;

  constructor(private readonly options: NetifdOptions) {
    this.rest = new OtbrRest({ port: options.restPort, timeoutMs: 2000 });
  }

  async publish(): Promise<void> {
    this.object = await this.options.bus.publish(`network.interface.${this.options.name}`, {
      up: { handler: () => { this.calls.push('up'); void this.setup(); return {}; } },
      down: { handler: async () => { this.calls.push('down'); await this.teardown(); return {}; } },
      status: { handler: () => ({ up: this.up, pending: this.pending, available: true, autostart: true, proto: 'openthread', device: this.iface().device, errors: this.errors.map((code) => ({ subsystem: 'openthread', code })) }) },
    });
  }

  get restPort(): number { return this.options.restPort; }

  get agentRunning(): boolean { return this.agent !== undefined && this.agent.exitCode === null && this.agent.signalCode === null; }

  private iface() {
    const found = openthreadInterfaces(readFileSync(this.options.networkConfig, 'utf8')).find((i) => i.name === this.options.name);
    if (!found) throw new Error(`network.${this.options.name} has no proto openthread`);
    return found;
  }

  /** The proto's setup: run the agent, wait for it, dataset, threadstart; then the interface is up. */
  private async setup(): Promise<void> {
    if (this.up || this.pending) return;
    this.pending = true;
    this.errors = [];
    const iface = this.iface();
    const backbone = this.options.backboneDevice ?? iface.backboneNetwork;
    requireTool(process.execPath);
    const agent = spawn(process.execPath, [this.options.agentBinary, '--auto-attach=0', `-I${iface.device}`, `-B${backbone}`, '--rest-listen-port', String(this.options.restPort), iface.radioUrl, `trel://${backbone}`], { stdio: 'ignore', env: this.options.env });
    this.agent = agent;
    this.agentPids.push(agent.pid!);
    agent.once('exit', () => void this.commandDied(agent));
    while (agent === this.agent && this.agentRunning && !(await this.rest.state().then(() => true, () => false))) await new Promise((r) => setTimeout(r, 100));
    if (agent !== this.agent || !this.agentRunning) return;
    if (iface.dataset) await this.rest.call('PUT', '/node/dataset/active', datasetFromTlvs(iface.dataset)).catch(() => undefined);
    await this.rest.setState('enable').catch(() => undefined);
    if (agent === this.agent) { this.pending = false; this.up = true; }
  }

  private async commandDied(agent: ChildProcess): Promise<void> {
    if (agent !== this.agent) return;
    this.agent = undefined;
    this.up = false;
    this.pending = false;
    if (this.options.restartOnExit) void this.setup();
  }

  /** The proto's teardown: threadstop, then the command is killed. */
  private async teardown(): Promise<void> {
    const agent = this.agent;
    this.agent = undefined;
    this.up = false;
    this.pending = false;
    if (!agent || agent.exitCode !== null || agent.signalCode !== null) return;
    await this.rest.setState('disable').catch(() => undefined);
    const exited = new Promise((resolve) => agent.once('exit', resolve));
    agent.kill('SIGTERM');
    await exited;
  }

  async close(): Promise<void> {
    await this.teardown();
    await this.object?.remove().catch(() => undefined);
    this.rest.close();
  }
}
