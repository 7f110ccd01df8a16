// The Thread side of the demo: a simulated RCP behind a real socat pty (test/stand-ins/rcp-sim) and
// the otbr-agent stand-in (test/stand-ins/otbr), which the real smartgrid-thread service drives;
// faults can be triggered from the demo CLI and the page (smartgrid.sim thread_fault). The agent
// replays network.json's 4-node network (leader, two routers, a child) for the topology, which the
// service reads through REST /diagnostics and the ot-ctl stand-in.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/helpers/mosquitto.js';
import { otbrAgentStandIn, otCtlStandIn } from '../test/stand-ins/otbr/build.js';
import { startPtyRcp, type PtyRcp } from '../test/stand-ins/rcp-sim/pty.js';

export const THREAD_FAULTS = ['rcp-reboot', 'rcp-unplug', 'rcp-firmware-ncp', 'rcp-firmware-rcp'] as const;
export type ThreadFault = (typeof THREAD_FAULTS)[number];

export class SimulatedThreadRadio {
  private rcp: PtyRcp | undefined;
  readonly events: { at: number; fault: ThreadFault }[] = [];

  constructor(private readonly dir: string) {}

  get path(): string { return join(this.dir, 'ttyACM0'); }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.rcp = await startPtyRcp({ path: this.path });
  }

  /** UCI overrides and environment that point smartgrid-thread at the simulated radio. */
  async serviceSettings(): Promise<{ uci: [string, string][]; env: NodeJS.ProcessEnv }> {
    const uci: [string, string][] = [
      ['device', this.path], ['otbr_agent', await otbrAgentStandIn()], ['ot_ctl', await otCtlStandIn()], ['rest_port', String(await freePort())],
      ['state_file', join(this.dir, 'rcp.json')], ['infra_if', 'lo'],
    ];
    return { uci, env: { OTBR_STANDIN_PEERS: '1', OTBR_STANDIN_SETTINGS: join(this.dir, 'otbr-settings.json'), OTBR_STANDIN_NETWORK: '4-node', OTBR_STANDIN_RUN_DIR: this.dir } };
  }

  async fault(fault: ThreadFault): Promise<void> {
    this.events.push({ at: Date.now(), fault });
    if (!this.rcp) return;
    if (fault === 'rcp-reboot') this.rcp.powerOn();
    else if (fault === 'rcp-firmware-ncp') await this.rcp.setFault('not-rcp');
    else if (fault === 'rcp-firmware-rcp') await this.rcp.setFault('none');
    else await this.replug();
  }

  /** Pulled and plugged back 2 s later on the same path (the service finds it again). */
  private async replug(): Promise<void> {
    await this.rcp?.vanish();
    this.rcp = undefined;
    setTimeout(() => { void this.start(); }, 2000);
  }

  async stop(): Promise<void> {
    await this.rcp?.stop();
  }
}
