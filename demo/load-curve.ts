/** A deterministic pseudo-random source, so a demo run can be replayed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const gauss = (hour: number, centre: number, width: number) => Math.exp(-(((hour - centre) / width) ** 2));

/**
 * Typical residential demand in kW for an hour of the day (0..24): night base load, a morning
 * peak around 07:30 and the evening peak around 19:30, shaped like published standard load profiles.
 */
export function residentialLoadKw(hour: number, scale = 1): number {
  const base = 0.25;
  const morning = 0.9 * gauss(hour, 7.5, 1.3);
  const midday = 0.35 * gauss(hour, 13, 2.5);
  const evening = 1.6 * gauss(hour, 19.5, 1.8);
  return scale * (base + morning + midday + evening);
}

/** Small commercial meters (shops, pumps): flat during opening hours. */
export function commercialLoadKw(hour: number, scale = 1): number {
  const open = 1 / (1 + Math.exp(-(hour - 8) * 3)) - 1 / (1 + Math.exp(-(hour - 19) * 3));
  return scale * (0.6 + 4.5 * open);
}

export interface MeterProfile {
  id: string;
  dcu: string;
  kind: 'residential' | 'commercial';
  scale: number;
  phaseVoltage: number;
  /** Cumulative import energy, kWh. */
  energyKwh: number;
  seq: number;
  /** Report OBIS codes (as many DCUs do) instead of named keys. */
  obis: boolean;
}

export interface Reading {
  ts: number;
  seq: number;
  values?: Record<string, number>;
  obis?: Record<string, number>;
}

/** One reading of a meter at `now`, integrating energy over `intervalS`; noise from `random`. */
export function nextReading(meter: MeterProfile, now: number, intervalS: number, random: () => number): Reading {
  const date = new Date(now);
  const hour = date.getHours() + date.getMinutes() / 60 + date.getSeconds() / 3600;
  const nominal = meter.kind === 'residential' ? residentialLoadKw(hour, meter.scale) : commercialLoadKw(hour, meter.scale);
  const powerKw = Math.max(0.02, nominal * (0.85 + 0.3 * random()));
  meter.energyKwh += (powerKw * intervalS) / 3600;
  meter.seq += 1;
  const voltage = meter.phaseVoltage + (random() - 0.5) * 4 - powerKw * 0.6;
  const pf = 0.92 + random() * 0.07;
  const current = (powerKw * 1000) / (voltage * pf);
  const frequency = 50 + (random() - 0.5) * 0.06;
  const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  const named = {
    energy_import_kwh: round(meter.energyKwh, 3), power_kw: round(powerKw, 3), voltage_l1_v: round(voltage, 1),
    current_l1_a: round(current, 2), frequency_hz: round(frequency, 3), power_factor: round(pf, 3),
  };
  if (!meter.obis) return { ts: now, seq: meter.seq, values: named };
  return {
    ts: now, seq: meter.seq,
    obis: {
      '1-0:1.8.0': named.energy_import_kwh, '1-0:1.7.0': named.power_kw, '1-0:32.7.0': named.voltage_l1_v,
      '1-0:31.7.0': named.current_l1_a, '1-0:14.7.0': named.frequency_hz, '1-0:13.7.0': named.power_factor,
    },
  };
}
