import type { ThreadConfig } from '../config.js';

/** What the bridge needs from smartgrid.thread, in its own units. */
export interface BridgeSettings {
  interfaceName: string;
  listen: string[];
  port: number;
  resource: string;
  maxPayloadBytes: number;
  nodeRate: number;
  nodeBurst: number;
  learnNodes: boolean;
  nodeLimit: number;
  lostAfterMs: number;
  nodes: string[];
  region: string;
  dcu: string;
  mqttHost: string;
  mqttPort: number;
  pubackTimeoutMs: number;
  telemetryTopic: string;
  commandTopic: string;
  commandReplyTopic: string;
  nodePort: number;
  commandMethod: 'PUT' | 'POST';
  commandPath: string;
  commandRetries: number;
  commandTimeoutMs: number;
}

export function bridgeSettings(config: ThreadConfig): BridgeSettings {
  return {
    interfaceName: config.thread_if, listen: config.coap_listen, port: config.coap_port, resource: config.coap_resource.replace(/^\/+|\/+$/g, ''),
    maxPayloadBytes: config.coap_max_payload, nodeRate: config.node_rate, nodeBurst: config.node_burst, learnNodes: config.learn_nodes,
    nodeLimit: config.node_limit, lostAfterMs: config.node_lost_after * 1000, nodes: config.nodes, region: config.region, dcu: config.dcu,
    mqttHost: config.mqtt_host, mqttPort: config.mqtt_port, pubackTimeoutMs: config.mqtt_puback_timeout * 1000, telemetryTopic: config.telemetry_topic,
    commandTopic: config.command_topic, commandReplyTopic: config.command_reply_topic, nodePort: config.node_port, commandMethod: config.command_method,
    commandPath: config.command_path.replace(/^\/+/, ''), commandRetries: config.command_retries, commandTimeoutMs: config.command_timeout * 1000,
  };
}
