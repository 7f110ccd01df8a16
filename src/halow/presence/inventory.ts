// The expected DCUs: UCI `list dcus '<name> <mac> <site> <meters>'` in smartgrid.halow.

export interface Dcu {
  name: string;
  mac: string;
  site: string;
  /** Meters behind the DCU (its load on the radio, see the planner). */
  meters: number;
}

/** Same rule as the schema's item pattern; the schema refuses a malformed entry before this runs. */
const ENTRY = /^([A-Za-z0-9_-]{1,32}) ((?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}) ([A-Za-z0-9_.-]{1,64}) ([0-9]{1,6})$/;

export class InventoryError extends Error {}

export function parseInventory(entries: readonly string[]): Dcu[] {
  const dcus: Dcu[] = [];
  const names = new Set<string>();
  const macs = new Set<string>();
  for (const entry of entries) {
    const match = ENTRY.exec(entry.trim());
    if (!match) throw new InventoryError(`smartgrid.halow.dcus: '${entry}' is not '<name> <mac> <site> <meters>'`);
    const [, name, rawMac, site, meters] = match;
    const mac = rawMac!.toLowerCase();
    if (names.has(name!)) throw new InventoryError(`smartgrid.halow.dcus: DCU name '${name}' is listed twice`);
    if (macs.has(mac)) throw new InventoryError(`smartgrid.halow.dcus: MAC ${mac} is listed twice`);
    names.add(name!);
    macs.add(mac);
    dcus.push({ name: name!, mac, site: site!, meters: Number(meters) });
  }
  return dcus;
}
