import type { MqttClient } from 'mqtt';
import { nextReading, seededRandom, type MeterProfile, type Reading } from './load-curve.js';

export interface FieldOptions {
  region: string;
  dcus: number;
  metersPerDcu: number;
  /** Seconds between readings of one meter (15 min in the field; much less in the demo). */
  intervalS: number;
  /** Share of readings turned into an anomaly (a spike or a voltage sag). */
  anomalyRate: number;
  /** Share of messages sent malformed (bad JSON, missing timestamp, wrong types). */
  malformedRate: number;
  /** Extra meter ids to include verbatim (the demo adds one containing HTML). */
  extraMeters?: string[];
  seed?: number;
}

export interface FieldStats {
  meters: number;
  published: number;
  anomalies: number;
  malformed: number;
}

const MALFORMED: ((reading: Reading) => string)[] = [
  (reading) => JSON.stringify(reading).slice(0, -7),
  (reading) => JSON.stringify({ ...reading, ts: undefined }),
  (reading) => JSON.stringify({ ts: reading.ts, values: { power_kw: 'lots' }, extra: true }),
  () => 'this is not json',
];

/** Simulated meters behind DCUs, publishing to `telemetry/{region}/{dcu}/{meter}` on the local broker. */
export class Field {
  readonly meters: MeterProfile[] = [];
  readonly stats: FieldStats = { meters: 0, published: 0, anomalies: 0, malformed: 0 };
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;

  constructor(private readonly mqtt: MqttClient, private readonly options: FieldOptions) {
    this.random = seededRandom(options.seed ?? 42);
    for (let d = 1; d <= options.dcus; d++) {
      const dcu = `dcu-${String(d).padStart(2, '0')}`;
      for (let m = 1; m <= options.metersPerDcu; m++) this.meters.push(this.profile(`MTR-${d}${String(m).padStart(4, '0')}`, dcu));
    }
    for (const id of options.extraMeters ?? []) this.meters.push(this.profile(id, 'dcu-01'));
    this.stats.meters = this.meters.length;
  }

  private profile(id: string, dcu: string): MeterProfile {
    const commercial = this.random() < 0.15;
    return {
      id, dcu, kind: commercial ? 'commercial' : 'residential', scale: 0.6 + this.random() * 1.2,
      phaseVoltage: 229 + this.random() * 4, energyKwh: 1000 + this.random() * 9000, seq: 0, obis: this.random() < 0.4,
    };
  }

  /** Spreads the meters evenly over the interval, like DCUs polling them in turn. */
  start(): void {
    const tickMs = Math.max(20, (this.options.intervalS * 1000) / Math.max(1, this.meters.length));
    this.timer = setInterval(() => this.publishNext(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  publishNext(now = Date.now()): void {
    const meter = this.meters[this.next++ % this.meters.length]!;
    const reading = nextReading(meter, now, this.options.intervalS, this.random);
    const topic = `telemetry/${this.options.region}/${meter.dcu}/${meter.id}`;
    const roll = this.random();
    let payload: string;
    if (roll < this.options.malformedRate) {
      payload = MALFORMED[Math.floor(this.random() * MALFORMED.length)]!(reading);
      this.stats.malformed++;
    } else {
      if (roll < this.options.malformedRate + this.options.anomalyRate) {
        this.makeAnomaly(reading);
        this.stats.anomalies++;
      }
      payload = JSON.stringify(reading);
    }
    this.mqtt.publish(topic, payload, { qos: 1 });
    this.stats.published++;
  }

  private makeAnomaly(reading: Reading): void {
    const values = reading.values ?? reading.obis!;
    const powerKey = reading.values ? 'power_kw' : '1-0:1.7.0';
    const voltageKey = reading.values ? 'voltage_l1_v' : '1-0:32.7.0';
    if (this.random() < 0.5) values[powerKey] = Math.round((values[powerKey]! * 25 + 40) * 1000) / 1000;
    else values[voltageKey] = Math.round((150 + this.random() * 30) * 10) / 10;
  }
}
