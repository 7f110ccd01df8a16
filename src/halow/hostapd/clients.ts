// hostapd's `get_clients` reply (OpenWrt ubus.c) -> one sample per associated station.
import type { UbusArgs } from '../../lib/ubus/types.js';

export interface StationSample {
  mac: string;
  associated: boolean;
  authorized: boolean;
  /** Management frame protection in use (PMF, required by WPA3-SAE). */
  mfp: boolean;
  aid: number;
  signal: number | null;
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
  /** kbit/s */
  rxRateKbps: number;
  txRateKbps: number;
}

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

function table(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function sampleOf(mac: string, client: Record<string, unknown>): StationSample {
  const bytes = table(client.bytes);
  const packets = table(client.packets);
  const rate = table(client.rate);
  return {
    mac,
    associated: client.assoc === true,
    authorized: client.authorized === true,
    mfp: client.mfp === true,
    aid: count(client.aid),
    signal: typeof client.signal === 'number' && client.signal !== 0 ? client.signal : null,
    rxBytes: count(bytes.rx),
    txBytes: count(bytes.tx),
    rxPackets: count(packets.rx),
    txPackets: count(packets.tx),
    rxRateKbps: count(rate.rx),
    txRateKbps: count(rate.tx),
  };
}

/** Stations of the reply, MAC lower-cased; entries that are not MAC-keyed tables are skipped. */
export function parseClients(reply: UbusArgs): StationSample[] {
  const samples: StationSample[] = [];
  for (const [key, value] of Object.entries(table(reply.clients))) {
    const mac = key.toLowerCase();
    if (MAC.test(mac) && value !== null && typeof value === 'object') samples.push(sampleOf(mac, value as Record<string, unknown>));
  }
  return samples;
}
