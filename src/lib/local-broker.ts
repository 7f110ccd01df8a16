import mqtt, { type MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import type { Logger } from './log.js';

// mqtt.js (5.x) leaves mqtt-packet's number cache on: at its first write mqtt-packet builds one Buffer
// per message id (65,536 of them, about 8 MB of RSS for the life of the process, measured with the
// shipped flags). Message ids are written without it (the telemetry forwarder's client does the same).
mqttPacket.writeToStream.cacheNumbers = false;

export interface LocalBrokerLinkOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  clientId: string;
  /** Subscribed (QoS 0) after every connect; may be empty. */
  filters: string[];
  log: Logger;
  onMessage(topic: string, payload: Buffer): void;
  /** How long `publish` waits for the PUBACK; default 10 s. */
  pubackTimeoutMs?: number;
}

const DEFAULT_PUBACK_TIMEOUT_MS = 10_000;

/** Thrown when the broker cannot take a message now (not connected, no PUBACK in time); the caller's client retries. */
export class BrokerUnavailableError extends Error {}

/**
 * A service's session with the gateway's local broker (mosquitto): it subscribes to what the service
 * reads and publishes with QoS 1, resolving only on the PUBACK, so the caller can acknowledge its own
 * peer (an HTTP reply, a CoAP ACK) once the broker has the message. A clean session: what is
 * subscribed is live data, and nothing is published while disconnected (no offline queue).
 */
export class LocalBrokerLink {
  private client: MqttClient | undefined;
  private corked = false;
  lastError = '';

  constructor(private readonly options: LocalBrokerLinkOptions) {}

  get connected(): boolean { return this.client?.connected ?? false; }

  start(): void {
    const { host, port, username, password, clientId, log } = this.options;
    const client = mqtt.connect({
      host, port, protocol: 'mqtt', clientId, clean: true, reconnectPeriod: 1000, connectTimeout: 10_000, keepalive: 30,
      queueQoSZero: false,
      ...(username ? { username } : {}), ...(password ? { password } : {}),
    });
    this.client = client;
    client.on('connect', () => {
      this.lastError = '';
      log.info('connected to the local broker');
      if (!this.options.filters.length) return;
      client.subscribe(this.options.filters, { qos: 0 }, (error) => {
        if (error) log.error('local broker refused the subscription', { error: error.message });
      });
    });
    client.on('error', (error) => { this.lastError = error.message; });
    client.on('message', (topic, payload) => this.options.onMessage(topic, payload));
  }

  /** Resolves on the broker's PUBACK; rejects with BrokerUnavailableError otherwise. */
  async publish(topic: string, payload: string | Buffer): Promise<void> {
    const client = this.client;
    if (!client?.connected) throw new BrokerUnavailableError(`local broker not connected${this.lastError ? `: ${this.lastError}` : ''}`);
    this.coalesceWrites(client);
    const timeoutMs = this.options.pubackTimeoutMs ?? DEFAULT_PUBACK_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no PUBACK within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([client.publishAsync(topic, payload, { qos: 1 }), timeout]);
    } catch (error) {
      throw new BrokerUnavailableError(`local broker did not take the message: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Publishes made in the same turn of the event loop (a burst of readings read from one socket poll)
   * leave in one write instead of one system call each: the socket is corked until setImmediate.
   */
  private coalesceWrites(client: MqttClient): void {
    if (this.corked || !client.stream?.cork) return;
    this.corked = true;
    client.stream.cork();
    setImmediate(() => {
      this.corked = false;
      client.stream.uncork();
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync(false).catch(() => undefined);
  }
}
