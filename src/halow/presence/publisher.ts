// Presence out to the local broker: the retained state of each DCU (`smartgrid/halow/dcu/<name>/state`)
// and a reading per change on the telemetry ingest topic, so the telemetry forwarder carries it to
// ThingsBoard as the DCU device's telemetry, where its range rules (`halow_present=1:`,
// `halow_signal_dbm=-70:`) raise the alarms.
import { connect, type MqttClient } from 'mqtt';
import type { Logger } from '../../lib/log.js';
import type { DcuState } from './tracker.js';

export interface PresencePublisherOptions {
  host: string;
  port: number;
  clientId: string;
  /** `telemetry/{site}/{dcu}/{dcu}`: `{site}` and `{dcu}` are filled in. */
  telemetryTopic: string;
  log: Logger;
}

export function stateTopic(dcu: Pick<DcuState, 'name'>): string {
  return `smartgrid/halow/dcu/${dcu.name}/state`;
}

export function statePayload(dcu: DcuState, now: number): Record<string, unknown> {
  return {
    name: dcu.name, mac: dcu.mac, site: dcu.site, meters: dcu.meters, presence: dcu.presence, associated: dcu.associated,
    signal: dcu.signal, signal_class: dcu.signal_class, weak_signal: dcu.weak_alarm, last_heard: dcu.last_heard, ts: now,
  };
}

export function telemetryReading(dcu: DcuState, now: number): Record<string, unknown> {
  const values: Record<string, number> = { halow_present: dcu.presence === 'present' || dcu.presence === 'late' ? 1 : 0, halow_weak_signal: dcu.weak_alarm ? 1 : 0 };
  if (dcu.signal !== null) values.halow_signal_dbm = dcu.signal;
  return { ts: now, values };
}

export class PresencePublisher {
  private client: MqttClient | undefined;
  private latest = new Map<string, DcuState>();

  constructor(private readonly options: PresencePublisherOptions) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  start(): void {
    const { host, port, clientId, log } = this.options;
    // writeCache: false, or mqtt-packet pre-builds a 2-byte Buffer for each of the 65,536 message ids (~6 MB of heap).
    this.client = connect({ host, port, clientId, protocolVersion: 4, clean: true, reconnectPeriod: 2000, connectTimeout: 5000, writeCache: false });
    this.client.on('connect', () => {
      log.info('connected to the local broker', { host, port });
      for (const dcu of this.latest.values()) this.publishState(dcu, Date.now());
    });
    this.client.on('error', (error) => log.warn('local broker', { error: error.message }));
  }

  async stop(): Promise<void> {
    await this.client?.endAsync().catch(() => undefined);
    this.client = undefined;
  }

  /** The DCU's retained state; a telemetry reading too when `reading` (a change to report upstream). */
  publish(dcu: DcuState, now: number, reading: boolean): void {
    this.latest.set(dcu.name, dcu);
    this.publishState(dcu, now);
    if (!reading) return;
    const topic = this.options.telemetryTopic.replaceAll('{site}', dcu.site).replaceAll('{dcu}', dcu.name);
    this.client?.publish(topic, JSON.stringify(telemetryReading(dcu, now)), { qos: 1 });
  }

  private publishState(dcu: DcuState, now: number): void {
    this.client?.publish(stateTopic(dcu), JSON.stringify(statePayload(dcu, now)), { qos: 1, retain: true });
  }
}
