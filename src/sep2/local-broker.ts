import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../lib/log.js';
import type { TelemetryPublisher } from './mirrors/forward.js';

export interface LocalBrokerLinkOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  clientId: string;
  filters: string[];
  log: Logger;
  onMessage(topic: string, payload: Buffer): void;
}

const PUBACK_TIMEOUT_MS = 10_000;

/** Thrown when the broker cannot take a reading now; the HTTP reply is 503 and the client retries. */
export class BrokerUnavailableError extends Error {}

/**
 * The server's session with the gateway's local broker: it subscribes to the meter readings (for
 * /upt) and publishes mirrored readings with QoS 1 (for the telemetry forwarder). A clean session:
 * /upt only needs the latest values, which arrive again with the meters' next readings.
 */
export class LocalBrokerLink implements TelemetryPublisher {
  private client: MqttClient | undefined;
  lastError = '';

  constructor(private readonly options: LocalBrokerLinkOptions) {}

  get connected(): boolean { return this.client?.connected ?? false; }

  start(): void {
    const { host, port, username, password, clientId, log } = this.options;
    // writeCache: false, or mqtt-packet pre-builds a 2-byte Buffer for each of the 65,536 message ids (~6 MB of heap).
    const client = mqtt.connect({
      host, port, protocol: 'mqtt', clientId, clean: true, reconnectPeriod: 1000, connectTimeout: 10_000, keepalive: 30, writeCache: false,
      ...(username ? { username } : {}), ...(password ? { password } : {}),
    });
    this.client = client;
    client.on('connect', () => {
      this.lastError = '';
      log.info('connected to the local broker');
      client.subscribe(this.options.filters, { qos: 0 }, (error) => {
        if (error) log.error('local broker refused the reading subscription', { error: error.message });
      });
    });
    client.on('error', (error) => { this.lastError = error.message; });
    client.on('message', (topic, payload) => this.options.onMessage(topic, payload));
  }

  async publish(topic: string, payload: string): Promise<void> {
    const client = this.client;
    if (!client?.connected) throw new BrokerUnavailableError(`local broker not connected${this.lastError ? `: ${this.lastError}` : ''}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no PUBACK within ${PUBACK_TIMEOUT_MS} ms`)), PUBACK_TIMEOUT_MS);
    });
    try {
      await Promise.race([client.publishAsync(topic, payload, { qos: 1 }), timeout]);
    } catch (error) {
      throw new BrokerUnavailableError(`local broker did not take the reading: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync(false).catch(() => undefined);
  }
}
