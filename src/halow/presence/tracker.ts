// Presence of the expected DCUs from association state plus traffic: a DCU is `present` while it
// was heard within one interval, `late` after that, `missing` after `missingIntervals` intervals
// (`never-seen` until first heard). Signal classes: `weak` below the warn threshold, `good` at or
// above the good threshold, `fair` between; the weak-signal alarm clears only on `good` again.
import type { StationSample } from '../hostapd/clients.js';
import type { Dcu } from './inventory.js';

export type Presence = 'present' | 'late' | 'missing' | 'never-seen';
export type SignalClass = 'good' | 'fair' | 'weak';

export interface PresenceOptions {
  intervalMs: number;
  missingIntervals: number;
  signalWarnDbm: number;
  signalGoodDbm: number;
}

export interface DcuState extends Dcu {
  presence: Presence;
  associated: boolean;
  signal: number | null;
  signal_class: SignalClass | null;
  weak_alarm: boolean;
  last_heard: number | null;
  station: StationSample | null;
}

export type PresenceChange =
  | { kind: 'presence'; dcu: DcuState; from: Presence }
  | { kind: 'signal'; dcu: DcuState; alarm: boolean };

interface Heard {
  lastHeard: number | undefined;
  rxPackets: number;
  sample: StationSample | null;
}

export class PresenceTracker {
  private readonly heard = new Map<string, Heard>();
  private readonly states = new Map<string, DcuState>();
  private unknown = new Map<string, StationSample>();

  constructor(private readonly dcus: readonly Dcu[], private readonly options: PresenceOptions) {
    for (const dcu of dcus) {
      this.heard.set(dcu.mac, { lastHeard: undefined, rxPackets: 0, sample: null });
      this.states.set(dcu.mac, { ...dcu, presence: 'never-seen', associated: false, signal: null, signal_class: null, weak_alarm: false, last_heard: null, station: null });
    }
  }

  /** An association (or authentication) notification: the DCU was heard now. */
  heardNow(mac: string, now: number): void {
    const entry = this.heard.get(mac);
    if (entry) entry.lastHeard = now;
  }

  /** A `get_clients` round: associated stations with new received frames were heard. */
  observe(samples: readonly StationSample[], now: number): void {
    const seen = new Set<string>();
    const unknown = new Map<string, StationSample>();
    for (const sample of samples) {
      seen.add(sample.mac);
      const entry = this.heard.get(sample.mac);
      if (!entry) {
        unknown.set(sample.mac, sample);
        continue;
      }
      if (sample.associated && (entry.sample === null || sample.rxPackets > entry.rxPackets)) entry.lastHeard = now;
      entry.rxPackets = sample.rxPackets;
      entry.sample = sample;
    }
    for (const [mac, entry] of this.heard) if (!seen.has(mac)) { entry.sample = null; entry.rxPackets = 0; }
    this.unknown = unknown;
  }

  /** Recomputes every DCU's state at `now`; returns what changed. */
  evaluate(now: number): PresenceChange[] {
    const changes: PresenceChange[] = [];
    for (const [mac, entry] of this.heard) {
      const before = this.states.get(mac)!;
      const state = this.stateOf(before, entry, now);
      this.states.set(mac, state);
      if (state.presence !== before.presence) changes.push({ kind: 'presence', dcu: state, from: before.presence });
      if (state.weak_alarm !== before.weak_alarm) changes.push({ kind: 'signal', dcu: state, alarm: state.weak_alarm });
    }
    return changes;
  }

  private presenceOf(lastHeard: number | undefined, now: number): Presence {
    if (lastHeard === undefined) return 'never-seen';
    const silentFor = now - lastHeard;
    if (silentFor >= this.options.intervalMs * this.options.missingIntervals) return 'missing';
    return silentFor > this.options.intervalMs ? 'late' : 'present';
  }

  private classOf(signal: number | null): SignalClass | null {
    if (signal === null) return null;
    if (signal < this.options.signalWarnDbm) return 'weak';
    return signal >= this.options.signalGoodDbm ? 'good' : 'fair';
  }

  private stateOf(before: DcuState, entry: Heard, now: number): DcuState {
    const signal = entry.sample?.signal ?? null;
    const signalClass = this.classOf(signal);
    const weakAlarm = signalClass === 'weak' || (before.weak_alarm && signalClass === 'fair');
    return {
      ...before,
      presence: this.presenceOf(entry.lastHeard, now),
      associated: entry.sample?.associated ?? false,
      signal,
      signal_class: signalClass,
      weak_alarm: entry.sample ? weakAlarm : before.weak_alarm,
      last_heard: entry.lastHeard ?? null,
      station: entry.sample,
    };
  }

  all(): DcuState[] {
    return [...this.states.values()];
  }

  /** Associated stations not in the inventory. */
  unknownStations(): StationSample[] {
    return [...this.unknown.values()];
  }

  summary(): Record<Presence | 'unknown' | 'weak', number> {
    const summary = { present: 0, late: 0, missing: 0, 'never-seen': 0, unknown: this.unknown.size, weak: 0 };
    for (const state of this.states.values()) {
      summary[state.presence] += 1;
      if (state.weak_alarm) summary.weak += 1;
    }
    return summary;
  }
}
