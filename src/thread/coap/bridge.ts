// The CoAP <-> MQTT node bridge of smartgrid-thread: readings POSTed by Thread nodes go to the local
// broker on the telemetry topic (the telemetry forwarder takes them there), commands on the command
// topic go to the nodes as confirmable CoAP requests.
import { LocalBrokerLink } from '../../lib/local-broker.js';
import type { Logger } from '../../lib/log.js';
import { compileTopicPattern } from '../../telemetry/ingest/topic.js';
import type { ThreadBridgeCounters, ThreadNodesReply, ThreadNodeView } from '../contract.js';
import { emptyCounters } from './counters.js';
import { Downlink } from './downlink.js';
import { RecentExchanges } from './exchanges.js';
import { CoapListener } from './listener.js';
import { NodeMap, parseNodeList, type NodeEntry } from './node-map.js';
import { NodeRateLimiter } from './rate-limit.js';
import type { BridgeSettings } from './settings.js';
import { UplinkHandler } from './uplink.js';

export interface CoapBridgeOptions {
  settings: BridgeSettings;
  log: Logger;
  /** `node_seen` / `node_lost` (published as smartgrid.thread.<what>). */
  emit(what: 'node_seen' | 'node_lost', data: Record<string, unknown>): void;
  now?: () => number;
  /** For tests: the addresses of an interface, and how often they are re-read. */
  interfaceAddresses?: (name: string) => string[];
  addressPollMs?: number;
}

export class CoapBridge {
  readonly counters: ThreadBridgeCounters = emptyCounters();
  private readonly nodes: NodeMap;
  private readonly broker: LocalBrokerLink;
  private readonly listener: CoapListener;
  private readonly downlink: Downlink;
  private readonly now: () => number;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CoapBridgeOptions) {
    const { settings, log } = options;
    this.now = options.now ?? (() => Date.now());
    const defaults = { region: settings.region, dcu: settings.dcu };
    this.nodes = new NodeMap({ configured: parseNodeList(settings.nodes, defaults), learn: settings.learnNodes, limit: settings.nodeLimit, defaults });
    const commandTopic = compileTopicPattern(settings.commandTopic);
    this.broker = new LocalBrokerLink({
      host: settings.mqttHost, port: settings.mqttPort, clientId: `smartgrid-thread-coap-${process.pid}`, filters: [commandTopic.filter],
      log: log.child('broker'), pubackTimeoutMs: settings.pubackTimeoutMs, onMessage: (topic, payload) => { this.downlink.take(topic, payload); },
    });
    const publish = (topic: string, payload: string) => this.broker.publish(topic, payload);
    this.downlink = new Downlink({
      commandTopic, replyTopic: compileTopicPattern(settings.commandReplyTopic), nodes: this.nodes, method: settings.commandMethod, path: settings.commandPath,
      port: settings.nodePort, retries: settings.commandRetries, timeoutMs: settings.commandTimeoutMs, counters: this.counters, publish, log: log.child('downlink'),
    });
    const uplink = new UplinkHandler({
      resource: settings.resource, maxPayloadBytes: settings.maxPayloadBytes, topic: compileTopicPattern(settings.telemetryTopic), nodes: this.nodes,
      exchanges: new RecentExchanges(settings.nodeLimit * 2), counters: this.counters, publish, log: log.child('coap'), now: this.now,
      limiter: new NodeRateLimiter({ rate: settings.nodeRate, burst: settings.nodeBurst, maxNodes: settings.nodeLimit * 2, now: this.now }),
      onSeen: (node) => this.options.emit('node_seen', nodeEvent(node)),
    });
    this.listener = new CoapListener({
      port: settings.port, addresses: settings.listen, interfaceName: settings.interfaceName, pollMs: options.addressPollMs,
      // Longer than any PUBACK wait: the answer is always piggybacked, never an empty ACK before the broker has the reading.
      piggybackReplyMs: settings.pubackTimeoutMs + 5000, log: log.child('coap'), interfaceAddresses: options.interfaceAddresses,
      onRequest: (request, response, local) => uplink.handle(request, response, local),
    });
  }

  get brokerConnected(): boolean { return this.broker.connected; }

  async start(): Promise<void> {
    this.broker.start();
    await this.listener.start();
    const every = Math.min(60_000, Math.max(1000, this.options.settings.lostAfterMs / 4));
    this.sweepTimer = setInterval(() => this.sweepLost(), every);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.listener.stop();
    await this.downlink.stop();
    await this.broker.stop();
  }

  nodeViews(): ThreadNodeView[] {
    return this.nodes.views(this.now(), this.options.settings.lostAfterMs);
  }

  nodesReply(): ThreadNodesReply {
    return { listening: this.listener.listening, nodes: this.nodeViews(), counters: { ...this.counters } };
  }

  /** Re-reads the interface's addresses now (also done every few seconds). */
  syncAddresses(): Promise<void> { return this.listener.sync(); }

  private sweepLost(): void {
    const now = this.now();
    for (const node of this.nodes.all()) {
      if (node.lost || node.lastContactMs === undefined || now - node.lastContactMs <= this.options.settings.lostAfterMs) continue;
      node.lost = true;
      this.options.emit('node_lost', nodeEvent(node));
    }
  }
}

function nodeEvent(node: NodeEntry): Record<string, unknown> {
  return {
    meter: node.meter, region: node.region, dcu: node.dcu, ...(node.address ? { address: node.address } : {}), ...(node.eui64 ? { eui64: node.eui64 } : {}),
    ...(node.lastContactMs !== undefined ? { last_contact: Math.floor(node.lastContactMs / 1000) } : {}),
  };
}
