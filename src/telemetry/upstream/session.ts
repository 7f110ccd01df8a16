import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { EventEmitter } from 'node:events';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { TelemetryConfig } from '../config.js';
import { isTransportError } from './reconnect.js';

export const TOPIC_CONNECT = 'v1/gateway/connect';
export const TOPIC_TELEMETRY = 'v1/gateway/telemetry';
export const TOPIC_RPC = 'v1/gateway/rpc';

export type UpstreamConfig = Pick<TelemetryConfig,
  'upstream_host' | 'upstream_port' | 'upstream_tls' | 'upstream_tls_verify' | 'upstream_ca_file' | 'upstream_cert_file' |
  'upstream_key_file' | 'upstream_access_token' | 'upstream_client_id' | 'upstream_keepalive'>;

/** The gateway's MQTT client id towards ThingsBoard, also the device its own alarms are reported for. */
export function gatewayId(config: Pick<UpstreamConfig, 'upstream_client_id'>): string {
  return config.upstream_client_id || `smartgrid-${hostname()}`;
}

export interface SessionEvents {
  connect: [];
  close: [reason: string];
  rpc: [payload: Buffer];
}

/**
 * One MQTT connection to ThingsBoard. It never reconnects by itself (the forwarder owns backoff and
 * the queue owns unacknowledged data), so nothing is replayed behind the forwarder's back.
 */
export class UpstreamSession extends EventEmitter<SessionEvents> {
  private client: MqttClient | undefined;
  private closed = false;
  lastError = '';
  /** The session ended because the upstream could not be reached (refused, unreachable, reset, closed), not because it refused us. */
  transportFailure = true;

  constructor(private readonly config: UpstreamConfig) {
    super();
  }

  get url(): string {
    return `${this.config.upstream_tls ? 'mqtts' : 'mqtt'}://${this.config.upstream_host}:${this.config.upstream_port}`;
  }

  /** Connects to `address` (resolved by the caller) or to the configured host. */
  open(address?: string): void {
    if (this.closed) return;
    let options: IClientOptions;
    try {
      options = this.clientOptions(address);
    } catch (error) {
      this.transportFailure = false;
      this.fail(`cannot read TLS files: ${(error as Error).message}`);
      return;
    }
    const client = mqtt.connect(options);
    this.client = client;
    client.on('connect', () => {
      client.subscribe(TOPIC_RPC, { qos: 1 }, (error) => { if (error) this.lastError = `subscribe ${TOPIC_RPC}: ${error.message}`; });
      this.emit('connect');
    });
    client.on('message', (topic, payload) => { if (topic === TOPIC_RPC) this.emit('rpc', payload); });
    client.on('error', (error) => {
      this.lastError = error.message;
      this.transportFailure = isTransportError((error as NodeJS.ErrnoException).code);
    });
    client.on('close', () => this.fail(this.lastError || 'connection closed'));
  }

  /** Resolves on PUBACK; rejects if the connection goes away first. */
  publish(topic: string, payload: Buffer | string): Promise<void> {
    const client = this.client;
    if (!client || this.closed) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      client.publish(topic, payload, { qos: 1 }, (error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * Sends a PINGREQ and resolves true when any packet arrives from the broker within `timeoutMs`
   * (a PINGRESP or anything else proves the path works), false otherwise. Does not close the session.
   */
  ping(timeoutMs: number): Promise<boolean> {
    const client = this.client;
    if (!client || this.closed || !client.connected) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (alive: boolean) => {
        clearTimeout(timer);
        client.removeListener('packetreceive', onPacket);
        this.removeListener('close', onClose);
        resolve(alive);
      };
      const onPacket = () => done(true);
      const onClose = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      client.on('packetreceive', onPacket);
      this.once('close', onClose);
      client.sendPing();
    });
  }

  close(reason = 'closed'): void {
    this.fail(reason);
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.client?.removeAllListeners('close');
    this.client?.on('error', () => undefined);
    this.client?.end(true);
    this.emit('close', reason);
  }

  clientOptions(address?: string): IClientOptions {
    const c = this.config;
    const options: IClientOptions = {
      protocol: c.upstream_tls ? 'mqtts' : 'mqtt',
      host: address ?? c.upstream_host,
      port: c.upstream_port,
      clientId: gatewayId(c),
      keepalive: c.upstream_keepalive,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 15_000,
      protocolVersion: 4,
      queueQoSZero: false,
      resubscribe: false,
    };
    if (c.upstream_access_token) options.username = c.upstream_access_token;
    if (c.upstream_tls) {
      options.rejectUnauthorized = c.upstream_tls_verify;
      if (!isIP(c.upstream_host)) options.servername = c.upstream_host;
      if (c.upstream_ca_file) options.ca = readFileSync(c.upstream_ca_file);
      if (c.upstream_cert_file) options.cert = readFileSync(c.upstream_cert_file);
      if (c.upstream_key_file) options.key = readFileSync(c.upstream_key_file);
    }
    return options;
  }
}
