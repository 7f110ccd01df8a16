/**
 * OBIS (IEC 62056-61) codes to named keys whose suffix is the unit. Users extend or override the
 * table with UCI `list obis_map '<code>=<key>'`.
 */
export const DEFAULT_OBIS_MAP: Readonly<Record<string, string>> = {
  '1-0:1.8.0': 'energy_import_kwh',
  '1-0:1.8.1': 'energy_import_t1_kwh',
  '1-0:1.8.2': 'energy_import_t2_kwh',
  '1-0:2.8.0': 'energy_export_kwh',
  '1-0:2.8.1': 'energy_export_t1_kwh',
  '1-0:2.8.2': 'energy_export_t2_kwh',
  '1-0:3.8.0': 'reactive_import_kvarh',
  '1-0:3.8.1': 'reactive_import_t1_kvarh',
  '1-0:3.8.2': 'reactive_import_t2_kvarh',
  '1-0:4.8.0': 'reactive_export_kvarh',
  '1-0:4.8.1': 'reactive_export_t1_kvarh',
  '1-0:4.8.2': 'reactive_export_t2_kvarh',
  '1-0:1.7.0': 'power_import_kw',
  '1-0:2.7.0': 'power_export_kw',
  '1-0:32.7.0': 'voltage_l1_v',
  '1-0:52.7.0': 'voltage_l2_v',
  '1-0:72.7.0': 'voltage_l3_v',
  '1-0:31.7.0': 'current_l1_a',
  '1-0:51.7.0': 'current_l2_a',
  '1-0:71.7.0': 'current_l3_a',
  '1-0:14.7.0': 'frequency_hz',
  '1-0:13.7.0': 'power_factor',
};

const FULL_CODE = /^(\d{1,3})-(\d{1,3}):(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\*\d{1,3})?$/;
const SHORT_CODE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `1-0:1.8.0*255` and `1.8.0` (electricity, channel 0 implied) both become `1-0:1.8.0`. */
export function canonicalObis(code: string): string | undefined {
  const trimmed = code.trim();
  const full = FULL_CODE.exec(trimmed);
  if (full) return `${+full[1]}-${+full[2]}:${+full[3]}.${+full[4]}.${+full[5]}`;
  const short = SHORT_CODE.exec(trimmed);
  if (short) return `1-0:${+short[1]}.${+short[2]}.${+short[3]}`;
  return undefined;
}

export function isObisLike(key: string): boolean {
  return FULL_CODE.test(key.trim()) || SHORT_CODE.test(key.trim());
}

export class ObisMapper {
  private readonly table = new Map<string, string>();

  /** `entries` are UCI `obis_map` items, `<code>=<key>`; malformed items are reported, not fatal. */
  constructor(entries: readonly string[] = [], onInvalid?: (entry: string) => void) {
    for (const [code, key] of Object.entries(DEFAULT_OBIS_MAP)) this.table.set(code, key);
    for (const entry of entries) {
      const at = entry.indexOf('=');
      const code = at > 0 ? canonicalObis(entry.slice(0, at)) : undefined;
      const key = at > 0 ? entry.slice(at + 1).trim() : '';
      if (!code || !/^[a-z][a-z0-9_]*$/.test(key)) { onInvalid?.(entry); continue; }
      this.table.set(code, key);
    }
  }

  keyFor(code: string): string | undefined {
    const canonical = canonicalObis(code);
    return canonical ? this.table.get(canonical) : undefined;
  }
}
