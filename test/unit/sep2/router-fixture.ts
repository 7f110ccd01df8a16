// The 2030.5 router with real stores and a recording publisher, called without TLS: tests give the
// client identity directly (the TLS tests check that identities come from verified certificates).
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayClock } from '../../../src/sep2/clock.js';
import type { ClientRole } from '../../../src/sep2/config.js';
import { DeviceRegistry } from '../../../src/sep2/devices.js';
import { route, type RouterContext } from '../../../src/sep2/http/router.js';
import type { Sep2Reply } from '../../../src/sep2/http/types.js';
import { BrokerUnavailableError } from '../../../src/lib/local-broker.js';
import { MirrorTopic, type TelemetryMessage } from '../../../src/sep2/mirrors/forward.js';
import { MirrorStore } from '../../../src/sep2/mirrors/store.js';
import { sfdiFromLfdi, type DeviceIdentity } from '../../../src/sep2/tls/lfdi.js';
import { UsagePointStore } from '../../../src/sep2/usage-points.js';
import { renderDocument } from '../../../src/sep2/xml/element.js';

export const LFDI = {
  utility: '1111111111111111111111111111111111111111',
  customer: '2222222222222222222222222222222222222222',
  device: '3333333333333333333333333333333333333333',
  other: '4444444444444444444444444444444444444444',
  stranger: '5555555555555555555555555555555555555555',
} as const;

export function identity(lfdi: string): DeviceIdentity {
  return { lfdi, sfdi: sfdiFromLfdi(lfdi) };
}

export interface Answer extends Sep2Reply { xml: string | undefined }

export interface RouterFixture {
  context: RouterContext;
  usagePoints: UsagePointStore;
  mirrors: MirrorStore;
  devices: DeviceRegistry;
  published: TelemetryMessage[];
  brokerDown: { value: boolean };
  ntpFile: string;
  setUnknownClients(mode: 'reject' | 'register'): void;
  request(who: string, method: string, path: string, body?: string): Promise<Answer>;
  cleanup(): void;
}

export function routerFixture(roles: Record<string, ClientRole> = { [LFDI.utility]: 'utility', [LFDI.customer]: 'customer', [LFDI.device]: 'device', [LFDI.other]: 'device' }, pins: string[] = []): RouterFixture {
  const dir = mkdtempSync(join(tmpdir(), 'sg-sep2-router-'));
  const ntpFile = join(dir, 'ntp-state');
  const devices = new DeviceRegistry({ client: Object.entries(roles).map(([lfdi, role]) => `${lfdi}=${role}`), client_pin: pins });
  const usagePoints = new UsagePointStore(12345);
  const mirrors = new MirrorStore(3);
  const published: TelemetryMessage[] = [];
  const brokerDown = { value: false };
  let unknownClients: 'reject' | 'register' = 'reject';
  const clock = new GatewayClock({ ntpStateFile: ntpFile, ntpMaxAgeS: 600, timezone: 'CET-1CEST,M3.5.0,M10.5.0/3' });
  const mirrorTopic = new MirrorTopic('telemetry/sep2/{lfdi}/{mrid}');
  const context: RouterContext = {
    devices,
    unknownClients: () => unknownClients,
    read: { devices, usagePoints, mirrors, clock, pollRate: () => 900, postRate: () => 300 },
    mirrors: {
      mirrors, topic: () => mirrorTopic, now: () => 1_750_000_000,
      publisher: {
        publish: async (topic, payload) => {
          if (brokerDown.value) throw new BrokerUnavailableError('local broker not connected');
          published.push({ topic, payload });
        },
      },
    },
  };
  return {
    context, usagePoints, mirrors, devices, published, brokerDown, ntpFile,
    setUnknownClients: (mode) => { unknownClients = mode; },
    request: async (who, method, path, body = '') => {
      const answer = await route(context, { method, url: new URL(path, 'https://sep2.invalid'), body, identity: identity(who) });
      return { ...answer, xml: answer.body ? renderDocument(answer.body) : undefined };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Writes what the ntpd hotplug hook writes, `ageS` seconds old. */
export function writeNtpState(file: string, stratum: number, ageS = 0): void {
  writeFileSync(file, `stratum=${stratum}\n`);
  const at = Date.now() / 1000 - ageS;
  utimesSync(file, at, at);
}

export const MUP_MRID = '0A0B0C0D0E0F101112131415161718AB';
export const MMR_MRID = 'AA0B0C0D0E0F101112131415161718AB';

/** A MirrorUsagePoint as a 2030.5 meter posts it: one energy MirrorMeterReading with its ReadingType. */
export function mirrorUsagePointXml(options: { mrid?: string; lfdi?: string; value?: number; start?: number; omit?: string } = {}): string {
  const fields: Record<string, string> = {
    mRID: options.mrid ?? MUP_MRID,
    description: 'inverter 1',
    roleFlags: '49',
    serviceCategoryKind: '0',
    status: '1',
    deviceLFDI: options.lfdi ?? LFDI.device,
  };
  if (options.omit) delete fields[options.omit];
  const head = Object.entries(fields).map(([name, value]) => `<${name}>${value}</${name}>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<MirrorUsagePoint xmlns="http://ieee.org/2030.5">${head}
  <MirrorMeterReading>
    <mRID>${MMR_MRID}</mRID><description>energy delivered</description>
    <Reading><timePeriod><duration>0</duration><start>${options.start ?? 1_750_000_000}</start></timePeriod><value>${options.value ?? 123456}</value></Reading>
    <ReadingType><accumulationBehaviour>9</accumulationBehaviour><flowDirection>1</flowDirection><kind>12</kind><powerOfTenMultiplier>0</powerOfTenMultiplier><uom>72</uom></ReadingType>
  </MirrorMeterReading>
</MirrorUsagePoint>`;
}
