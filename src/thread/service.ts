import type { Service, ServiceContext } from '../lib/lifecycle.js';
import type { UbusArgs, UbusMethod } from '../lib/ubus/types.js';
import { datasetFromConfig, radioTarget, type ThreadConfig } from './config.js';
import { THREAD_METHODS, type ThreadNodesReply, type ThreadNodeView } from './contract.js';
import { CoapBridge } from './coap/bridge.js';
import { emptyCounters } from './coap/counters.js';
import { bridgeSettings } from './coap/settings.js';
import { OtbrRest } from './otbr/rest-client.js';
import { OtbrSupervisor } from './otbr/supervisor.js';
import { buildTopologyReader } from './otbr/topology-wiring.js';
import type { TopologyReader } from './otbr/topology-reader.js';
import { SYSTEM_ROOTS, type SystemRoots } from './rcp/discovery.js';
import { IdentityStore } from './rcp/identity-store.js';
import { locateRcp, type LocateResult } from './rcp/locate.js';
import { resetUsbDongle } from './rcp/usb-reset.js';
import { probeView, statusView } from './status-view.js';

export interface ThreadDeps {
  roots?: SystemRoots;
  /** Environment of otbr-agent (tests point it at the stand-in's settings). */
  agentEnv?: NodeJS.ProcessEnv;
}

/** smartgrid-thread: finds and probes the RCP, runs otbr-agent on it and keeps the network served. */
export class ThreadService implements Service<ThreadConfig> {
  private config: ThreadConfig;
  private supervisor: OtbrSupervisor;
  private topology: TopologyReader;
  /** The CoAP <-> MQTT node bridge; undefined while `coap_enabled` is off or its node map is wrong. */
  private bridge: CoapBridge | undefined;

  constructor(private readonly context: ServiceContext<ThreadConfig>, private readonly deps: ThreadDeps = {}) {
    this.config = context.config;
    this.supervisor = this.build(context.config);
    this.topology = this.buildTopology(context.config);
  }

  async start(): Promise<void> {
    if (!this.config.enabled) {
      this.context.log.notice('disabled in smartgrid.thread: otbr-agent is not started');
      return;
    }
    this.supervisor.start();
    this.topology.start();
    await this.bridge?.start();
  }

  async stop(): Promise<void> {
    await this.topology.stop();
    await Promise.all([this.supervisor.stop(), this.bridge?.stop()]);
  }

  async reload(config: ThreadConfig): Promise<void> {
    await this.stop();
    this.config = config;
    this.supervisor = this.build(config);
    this.topology = this.buildTopology(config);
    await this.start();
  }

  status(): UbusArgs {
    return { enabled: this.config.enabled, ...statusView(this.supervisor, this.topology.childCount()) } as unknown as UbusArgs;
  }

  methods(): Record<string, UbusMethod> {
    return {
      probe: { signature: THREAD_METHODS.probe, handler: () => probeView(this.supervisor) as unknown as UbusArgs },
      topology: { signature: THREAD_METHODS.topology, handler: async (args) => (await this.topology.reply(args.refresh === true)) as unknown as UbusArgs },
      restart_radio: {
        signature: THREAD_METHODS.restart_radio,
        handler: () => {
          this.context.log.notice('restart_radio requested over ubus');
          this.supervisor.restartRadio();
          return { restarted: true };
        },
      },
      nodes: { signature: THREAD_METHODS.nodes, handler: () => this.nodesReply() as unknown as UbusArgs },
    };
  }

  /** Every node the CoAP bridge knows, with its last contact (joined with the topology by address). */
  nodeViews(): ThreadNodeView[] {
    return this.bridge?.nodeViews() ?? [];
  }

  private nodesReply(): ThreadNodesReply {
    return this.bridge?.nodesReply() ?? { listening: [], nodes: [], counters: emptyCounters() };
  }

  private buildBridge(config: ThreadConfig): CoapBridge | undefined {
    if (!config.coap_enabled) return undefined;
    try {
      return new CoapBridge({ settings: bridgeSettings(config), log: this.context.log.child('bridge'), emit: (what, data) => this.context.emit(what, data as UbusArgs) });
    } catch (error) {
      this.context.log.error('CoAP bridge not started', { error: (error as Error).message });
      return undefined;
    }
  }

  private build(config: ThreadConfig): OtbrSupervisor {
    this.bridge = this.buildBridge(config);
    const roots = this.deps.roots ?? SYSTEM_ROOTS;
    const store = new IdentityStore(config.state_file);
    const target = radioTarget(config);
    return new OtbrSupervisor({
      locate: () => locateRcp({ device: target.device, baud: target.baud, store, roots }),
      resetRadio: (located) => this.resetRadio(located, roots),
      launch: { binary: config.otbr_agent, threadInterface: config.thread_if, infraInterface: config.infra_if, restPort: config.rest_port, env: this.deps.agentEnv },
      rest: new OtbrRest({ port: config.rest_port }),
      dataset: datasetFromConfig(config),
      pendingDelayMs: config.pending_delay * 1000,
      log: this.context.log.child('otbr'),
      emit: (what, data) => { this.context.emit(what, data as UbusArgs); if (what === 'role') this.topology?.radioChanged(); },
    });
  }

  private buildTopology(config: ThreadConfig): TopologyReader {
    return buildTopologyReader({ config, supervisor: () => this.supervisor, nodeViews: () => this.nodeViews(), log: this.context.log.child('topology'), emit: (what, data) => this.context.emit(what, data as UbusArgs) });
  }

  private async resetRadio(located: LocateResult | undefined, roots: SystemRoots): Promise<string> {
    const usbDir = located?.selection.chosen?.usb?.sysPath;
    if (!usbDir) return 'not a USB dongle: nothing to re-authorise';
    return resetUsbDongle(usbDir, roots);
  }
}
