import type { Service, ServiceContext } from '../lib/lifecycle.js';
import type { UbusArgs, UbusMethod } from '../lib/ubus/types.js';
import { datasetFromConfig, radioTarget, type ThreadConfig } from './config.js';
import { THREAD_METHODS } from './contract.js';
import { OtbrRest } from './otbr/rest-client.js';
import { chooseSupervisor, netifdControl, openthreadInterfaces, type OpenthreadInterface } from './otbr/netifd.js';
import { NetifdSupervisor } from './otbr/netifd-supervisor.js';
import { OtbrSupervisor } from './otbr/supervisor.js';
import { SYSTEM_ROOTS, type SystemRoots } from './rcp/discovery.js';
import { IdentityStore } from './rcp/identity-store.js';
import { locateRcp, type LocateResult } from './rcp/locate.js';
import { resetUsbDongle } from './rcp/usb-reset.js';
import { probeView, statusView } from './status-view.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ThreadDeps {
  roots?: SystemRoots;
  /** Environment of otbr-agent (tests point it at the stand-in's settings). */
  agentEnv?: NodeJS.ProcessEnv;
  /** /etc/config/network (default: `network` in SMARTGRID_UCI_DIR, else /etc/config). */
  networkConfig?: string;
}

type RadioSupervisor = OtbrSupervisor | NetifdSupervisor;

/** smartgrid-thread: finds and probes the RCP, runs otbr-agent on it and keeps the network served. */
export class ThreadService implements Service<ThreadConfig> {
  private config: ThreadConfig;
  private supervisor: RadioSupervisor;

  constructor(private readonly context: ServiceContext<ThreadConfig>, private readonly deps: ThreadDeps = {}) {
    this.config = context.config;
    this.supervisor = this.build(context.config);
  }

  async start(): Promise<void> {
    if (!this.config.enabled) {
      this.context.log.notice('disabled in smartgrid.thread: otbr-agent is not started');
      return;
    }
    this.supervisor.start();
  }

  async stop(): Promise<void> {
    await this.supervisor.stop();
  }

  async reload(config: ThreadConfig): Promise<void> {
    await this.supervisor.stop();
    this.config = config;
    this.supervisor = this.build(config);
    await this.start();
  }

  status(): UbusArgs {
    return { enabled: this.config.enabled, ...statusView(this.supervisor) } as unknown as UbusArgs;
  }

  methods(): Record<string, UbusMethod> {
    return {
      probe: { signature: THREAD_METHODS.probe, handler: () => probeView(this.supervisor) as unknown as UbusArgs },
      restart_radio: {
        signature: THREAD_METHODS.restart_radio,
        handler: () => {
          this.context.log.notice('restart_radio requested over ubus');
          this.supervisor.restartRadio();
          return { restarted: true };
        },
      },
    };
  }

  private build(config: ThreadConfig): RadioSupervisor {
    const roots = this.deps.roots ?? SYSTEM_ROOTS;
    const store = new IdentityStore(config.state_file);
    const target = radioTarget(config);
    const locate = (): Promise<LocateResult> => locateRcp({ device: target.device, baud: target.baud, store, roots });
    const choice = chooseSupervisor(config.supervisor, this.openthreadInterfaces());
    if (choice.supervisor === 'netifd') return this.buildNetifd(config, choice.iface, locate);
    return new OtbrSupervisor({
      locate,
      resetRadio: (located) => this.resetRadio(located, roots),
      launch: { binary: config.otbr_agent, threadInterface: config.thread_if, infraInterface: config.infra_if, restPort: config.rest_port, env: this.deps.agentEnv },
      rest: new OtbrRest({ port: config.rest_port }),
      dataset: datasetFromConfig(config),
      pendingDelayMs: config.pending_delay * 1000,
      log: this.context.log.child('otbr'),
      emit: (what, data) => this.context.emit(what, data as UbusArgs),
    });
  }

  private buildNetifd(config: ThreadConfig, iface: OpenthreadInterface, locate: () => Promise<LocateResult>): NetifdSupervisor {
    this.context.log.notice(`network.${iface.name} has proto 'openthread': netifd runs otbr-agent, smartgrid watches it and recovers through the interface`);
    return new NetifdSupervisor({
      iface,
      netifd: netifdControl(this.context.ubus, iface.name),
      rest: new OtbrRest({ port: config.rest_port }),
      dataset: datasetFromConfig(config),
      locate,
      currentInterface: () => this.openthreadInterfaces().find((candidate) => candidate.name === iface.name),
      log: this.context.log.child('otbr'),
      emit: (what, data) => this.context.emit(what, data as UbusArgs),
    });
  }

  private openthreadInterfaces(): OpenthreadInterface[] {
    const path = this.deps.networkConfig ?? join(process.env.SMARTGRID_UCI_DIR ?? '/etc/config', 'network');
    return existsSync(path) ? openthreadInterfaces(readFileSync(path, 'utf8')) : [];
  }

  private async resetRadio(located: LocateResult | undefined, roots: SystemRoots): Promise<string> {
    const usbDir = located?.selection.chosen?.usb?.sysPath;
    if (!usbDir) return 'not a USB dongle: nothing to re-authorise';
    return resetUsbDongle(usbDir, roots);
  }
}
