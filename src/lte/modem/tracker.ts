import type { Logger } from '../../lib/log.js';
import { MmcliError, type Mmcli, type MmcliFailureKind } from './mmcli.js';
import type { BearerInfo, ModemInfo, ModemSnapshot, SignalInfo, SimInfo } from './types.js';

export interface ModemSelector {
  /** Equipment id (IMEI) or sysfs device path; empty picks the first modem. */
  match?: string;
}

export type ObservationResult =
  | { kind: 'ok'; snapshot: ModemSnapshot; reappeared: boolean }
  | { kind: 'absent' }
  | { kind: 'error'; failure: MmcliFailureKind; message: string };

/**
 * Finds "our" modem on every look. ModemManager gives a modem a new index each time it is probed
 * again (USB re-enumeration, daemon restart), so identity is the equipment id or the sysfs device.
 */
export class ModemTracker {
  private identity: { equipmentId: string | null; device: string | null } | undefined;
  private lastIndex: number | undefined;
  private signalSetupIndex: number | undefined;

  constructor(
    private readonly mmcli: Mmcli,
    private readonly selector: ModemSelector,
    private readonly log: Logger,
    private readonly signalRateS = 0,
  ) {}

  get currentIndex(): number | undefined { return this.lastIndex; }

  async observe(): Promise<ObservationResult> {
    try {
      const modem = await this.find();
      if (!modem) {
        this.lastIndex = undefined;
        return { kind: 'absent' };
      }
      const reappeared = this.lastIndex !== undefined && this.lastIndex !== modem.index;
      if (reappeared) this.log.notice('modem re-appeared with another index', { from: this.lastIndex, to: modem.index, equipment_id: modem.equipmentId });
      this.lastIndex = modem.index;
      this.identity = { equipmentId: modem.equipmentId, device: modem.device };
      const [sim, bearers, signal] = await Promise.all([this.sim(modem), this.bearers(modem), this.signal(modem)]);
      return { kind: 'ok', snapshot: { modem, sim, bearers, signal }, reappeared };
    } catch (error) {
      if (error instanceof MmcliError) return { kind: 'error', failure: error.kind, message: error.message };
      return { kind: 'error', failure: 'failed', message: (error as Error).message };
    }
  }

  private matches(modem: ModemInfo): boolean {
    const wanted = this.selector.match?.trim();
    if (wanted) return modem.equipmentId === wanted || modem.device === wanted || modem.imei === wanted;
    if (!this.identity) return true;
    return (this.identity.equipmentId !== null && modem.equipmentId === this.identity.equipmentId)
      || (this.identity.device !== null && modem.device === this.identity.device);
  }

  private async find(): Promise<ModemInfo | undefined> {
    const paths = await this.mmcli.listModems();
    const indexes = paths.map((path) => Number(/\/Modem\/(\d+)$/.exec(path)?.[1] ?? NaN)).filter(Number.isFinite);
    // Cheapest first: the index we saw last time is usually still ours.
    indexes.sort((a, b) => (a === this.lastIndex ? -1 : b === this.lastIndex ? 1 : a - b));
    const seen: ModemInfo[] = [];
    for (const index of indexes) {
      let modem: ModemInfo;
      try {
        modem = await this.mmcli.modem(index);
      } catch (error) {
        if (error instanceof MmcliError && error.kind === 'not-found') continue;
        throw error;
      }
      if (this.matches(modem)) return modem;
      seen.push(modem);
    }
    // Our modem is gone but another one is here and nothing pins the choice: follow the new one.
    if (!this.selector.match?.trim() && seen.length) {
      this.log.warn('watched modem replaced by another one', { equipment_id: seen[0].equipmentId });
      return seen[0];
    }
    return undefined;
  }

  private async sim(modem: ModemInfo): Promise<SimInfo | null> {
    if (!modem.simPath) return null;
    return this.optional(() => this.mmcli.sim(modem.simPath!));
  }

  private async bearers(modem: ModemInfo): Promise<BearerInfo[]> {
    const out: BearerInfo[] = [];
    for (const path of modem.bearerPaths) {
      const bearer = await this.optional(() => this.mmcli.bearer(path));
      if (bearer) out.push(bearer);
    }
    return out;
  }

  private async signal(modem: ModemInfo): Promise<SignalInfo | null> {
    if (modem.state === 'failed' || modem.state === 'locked' || modem.state === 'disabled') return null;
    if (this.signalRateS > 0 && this.signalSetupIndex !== modem.index) {
      await this.mmcli.signalSetup(modem.index, this.signalRateS).then(
        () => { this.signalSetupIndex = modem.index; },
        (error: Error) => this.log.debug('signal setup failed', { error: error.message }),
      );
    }
    return this.optional(() => this.mmcli.signal(modem.index));
  }

  /** Details that vanish while we read them (bearer deleted, SIM removed) are simply absent. */
  private async optional<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof MmcliError && (error.kind === 'not-found' || error.kind === 'unsupported' || error.kind === 'failed')) return null;
      throw error;
    }
  }
}
