import type { Service, ServiceContext } from '../lib/lifecycle.js';
import type { UbusArgs, UbusMethod } from '../lib/ubus/types.js';
import type { ThreadConfig } from './config.js';
import { THREAD_METHODS, type ThreadNodesReply, type ThreadNodeView } from './contract.js';
import { CoapBridge } from './coap/bridge.js';
import { emptyCounters } from './coap/counters.js';
import { bridgeSettings } from './coap/settings.js';
import { buildRadioSupervisor, type RadioSupervisor } from './otbr/radio-supervisor.js';
import { buildTopologyReader } from './otbr/topology-wiring.js';
import type { TopologyReader } from './otbr/topology-reader.js';
import type { SystemRoots } from './rcp/discovery.js';
import { probeView, statusView } from './status-view.js';

export interface ThreadDeps {
  roots?: SystemRoots;
  /** Environment of otbr-agent (tests point it at the stand-in's settings). */
  agentEnv?: NodeJS.ProcessEnv;
  /** /etc/config/network (default: `network` in SMARTGRID_UCI_DIR, else /etc/config). */
  networkConfig?: string;
}

/**
 * smartgrid-thread: finds and probes the RCP, keeps otbr-agent serving the network on it (its own, or
 * netifd's), reads the topology and bridges the nodes' CoAP to MQTT.
 */
export class ThreadService implements Service<ThreadConfig> {
  private config: ThreadConfig;
  private supervisor: RadioSupervisor;
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

  private build(config: ThreadConfig): RadioSupervisor {
    this.bridge = this.buildBridge(config);
    return buildRadioSupervisor({
      config, ubus: this.context.ubus, roots: this.deps.roots, agentEnv: this.deps.agentEnv, networkConfig: this.deps.networkConfig,
      log: this.context.log.child('otbr'),
      emit: (what, data) => { this.context.emit(what, data as UbusArgs); if (what === 'role') this.topology?.radioChanged(); },
    });
  }

  private buildTopology(config: ThreadConfig): TopologyReader {
    return buildTopologyReader({ config, supervisor: () => this.supervisor, nodeViews: () => this.nodeViews(), log: this.context.log.child('topology'), emit: (what, data) => this.context.emit(what, data as UbusArgs) });
  }
}
