import type { ClientRole } from './config.js';
import { hasValidCheckDigit, sfdiFromLfdi, type DeviceIdentity } from './tls/lfdi.js';

/** A client of the server: a 2030.5 EndDevice. */
export interface EndDeviceRecord {
  index: number;
  lfdi: string;
  sfdi: number;
  /** From UCI `client`; undefined for a client that registered itself (unknown_clients=register). */
  role: ClientRole | undefined;
  pin: number | undefined;
  enabled: boolean;
  /** Seconds since 1970 of the last change of this EndDevice. */
  changedTime: number;
  lastSeen: number | undefined;
  lastRequest: string | undefined;
  requests: number;
  errors: number;
}

export interface ClientLists {
  client: readonly string[];
  client_pin: readonly string[];
}

function splitEntry(entry: string): [string, string] {
  const at = entry.indexOf('=');
  return [entry.slice(0, at).trim().toUpperCase(), entry.slice(at + 1).trim()];
}

/** Known clients from UCI plus those that registered; EndDevice indices never change while the process runs. */
export class DeviceRegistry {
  private readonly byLfdi = new Map<string, EndDeviceRecord>();
  private nextIndex = 0;

  constructor(lists: ClientLists, now = () => Math.floor(Date.now() / 1000)) {
    this.now = now;
    this.apply(lists);
  }

  private readonly now: () => number;

  /** Checks the lists as a whole: duplicates and PIN check digits (the schema checks each entry's form). */
  static problems(lists: ClientLists): string[] {
    const problems: string[] = [];
    const roles = new Set<string>();
    for (const entry of lists.client) {
      const [lfdi] = splitEntry(entry);
      if (roles.has(lfdi)) problems.push(`client: LFDI ${lfdi} is listed twice`);
      roles.add(lfdi);
    }
    for (const entry of lists.client_pin) {
      const [lfdi, pin] = splitEntry(entry);
      if (!roles.has(lfdi)) problems.push(`client_pin: LFDI ${lfdi} is not in the client list`);
      if (!hasValidCheckDigit(Number(pin))) problems.push(`client_pin: the PIN for ${lfdi} has a wrong check digit (the last of its 6 digits)`);
    }
    return problems;
  }

  /** Applies new UCI lists: listed clients get their role, delisted ones fall back to unregistered and disabled. */
  apply(lists: ClientLists): void {
    const pins = new Map(lists.client_pin.map((entry) => splitEntry(entry)));
    const listed = new Set<string>();
    for (const entry of lists.client) {
      const [lfdi, role] = splitEntry(entry);
      listed.add(lfdi);
      const record = this.ensure(lfdi);
      const pin = pins.has(lfdi) ? Number(pins.get(lfdi)) : undefined;
      if (record.role !== role || !record.enabled || record.pin !== pin) record.changedTime = this.now();
      Object.assign(record, { role: role as ClientRole, enabled: true, pin });
    }
    for (const record of this.byLfdi.values()) {
      if (listed.has(record.lfdi) || !record.role) continue;
      Object.assign(record, { role: undefined, enabled: false, pin: undefined, changedTime: this.now() });
    }
  }

  find(lfdi: string): EndDeviceRecord | undefined { return this.byLfdi.get(lfdi); }

  /** A client that is not listed becomes a disabled EndDevice (registration flow). */
  register(identity: DeviceIdentity): EndDeviceRecord {
    return this.byLfdi.get(identity.lfdi) ?? this.ensure(identity.lfdi);
  }

  /** EndDevices in SFDI order, as the list resource serves them. */
  list(): EndDeviceRecord[] {
    return [...this.byLfdi.values()].sort((a, b) => a.sfdi - b.sfdi || a.index - b.index);
  }

  byIndex(index: number): EndDeviceRecord | undefined {
    for (const record of this.byLfdi.values()) if (record.index === index) return record;
    return undefined;
  }

  private ensure(lfdi: string): EndDeviceRecord {
    let record = this.byLfdi.get(lfdi);
    if (record) return record;
    record = {
      index: this.nextIndex++, lfdi, sfdi: sfdiFromLfdi(lfdi), role: undefined, pin: undefined, enabled: false,
      changedTime: this.now(), lastSeen: undefined, lastRequest: undefined, requests: 0, errors: 0,
    };
    this.byLfdi.set(lfdi, record);
    return record;
  }
}
