import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { zoneYear, type ZoneYear } from './time-zone.js';

/** Time quality of IEEE 2030.5: 3 = from an authoritative source (NTP), 5 = set locally / not synchronised. */
export const QUALITY_NTP = 3;
export const QUALITY_UNSYNCHRONISED = 5;

export interface ClockReading {
  now: number;
  quality: number;
  zone: ZoneYear;
  /** Stratum of the last NTP report, when there is a recent one. */
  stratum: number | undefined;
}

export interface ClockOptions {
  ntpStateFile: string;
  ntpMaxAgeS: number;
  /** POSIX TZ string; empty: the system's, from `tzFile`. */
  timezone: string;
  /** Where OpenWrt writes the system zone (default /etc/TZ). */
  tzFile?: string;
  now?: () => number;
}

/**
 * The gateway's clock as the Time resource reports it. busybox ntpd (sysntpd) runs its hotplug hook on
 * every stratum change and poll; the hook the package installs writes `stratum=<n>` to a state file, so
 * a recent file with a stratum below 16 means the clock is NTP-synchronised.
 */
export class GatewayClock {
  private cachedZone: { year: number; tz: string; zone: ZoneYear } | undefined;
  /** Quality of the last read, 0 before the first. */
  lastQuality = 0;

  constructor(private readonly options: ClockOptions) {}

  now(): number {
    return Math.floor((this.options.now?.() ?? Date.now()) / 1000);
  }

  async read(): Promise<ClockReading> {
    const now = this.now();
    const stratum = await this.recentStratum(now);
    this.lastQuality = stratum !== undefined && stratum < 16 ? QUALITY_NTP : QUALITY_UNSYNCHRONISED;
    return { now, quality: this.lastQuality, zone: this.zone(now), stratum };
  }

  /** The configured zone, else the system's; a system file that cannot be read or parsed means UTC. */
  private zone(now: number): ZoneYear {
    const year = new Date(now * 1000).getUTCFullYear();
    const tz = this.options.timezone || this.systemZone();
    if (this.cachedZone?.year !== year || this.cachedZone.tz !== tz) {
      let zone: ZoneYear;
      try {
        zone = zoneYear(tz, year);
      } catch {
        zone = { tzOffset: 0, dstOffset: 0, dstStartTime: 0, dstEndTime: 0 };
      }
      this.cachedZone = { year, tz, zone };
    }
    return this.cachedZone.zone;
  }

  private systemZone(): string {
    try {
      return readFileSync(this.options.tzFile ?? '/etc/TZ', 'utf8').trim() || 'UTC0';
    } catch {
      return 'UTC0';
    }
  }

  private async recentStratum(now: number): Promise<number | undefined> {
    try {
      const info = await stat(this.options.ntpStateFile);
      if (now - info.mtimeMs / 1000 > this.options.ntpMaxAgeS) return undefined;
      const match = /(?:^|\s)stratum=(\d+)/.exec(await readFile(this.options.ntpStateFile, 'utf8'));
      return match ? Number(match[1]) : undefined;
    } catch {
      return undefined;
    }
  }
}
