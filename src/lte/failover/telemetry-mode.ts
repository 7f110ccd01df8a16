import type { Logger } from '../../lib/log.js';
import type { Ubus } from '../../lib/ubus/types.js';

export type TelemetryMode = 'normal' | 'data-saving' | 'critical-only';

/**
 * Keeps `smartgrid.telemetry` in the mode the uplink and the quota call for. The forwarder may be
 * down or restarting, so the wanted mode is re-sent on every sync until it is acknowledged.
 */
export class TelemetryModeSwitch {
  private wanted: TelemetryMode = 'normal';
  private acknowledged: TelemetryMode | undefined = 'normal';
  private lastError: string | undefined;
  private reconnect = false;

  constructor(private readonly ubus: Ubus, private readonly log: Logger) {}

  status(): Record<string, unknown> {
    return { wanted: this.wanted, acknowledged: this.acknowledged ?? null, reconnect_pending: this.reconnect, error: this.lastError };
  }

  want(mode: TelemetryMode): void {
    if (mode === this.wanted) return;
    this.wanted = mode;
    this.acknowledged = undefined;
  }

  /**
   * Traffic moved to another uplink: the next sync tells the forwarder (even when the mode stays) to drop
   * its session, which is bound to the old uplink's address, and connect at once over the new one.
   */
  uplinkChanged(): void {
    this.reconnect = true;
    this.acknowledged = undefined;
  }

  async sync(): Promise<void> {
    if (this.acknowledged === this.wanted) return;
    const mode = this.wanted;
    const reconnect = this.reconnect;
    try {
      await this.ubus.call('smartgrid.telemetry', 'set_mode', reconnect ? { mode, reconnect } : { mode }, { timeoutMs: 3000 });
      this.acknowledged = mode;
      if (reconnect) this.reconnect = false;
      this.lastError = undefined;
      this.log.notice('telemetry mode set', { mode });
    } catch (error) {
      this.lastError = (error as Error).message;
      if (mode === 'critical-only' && /INVALID_ARGUMENT/.test(this.lastError)) {
        this.log.warn('telemetry forwarder has no critical-only mode; using data-saving');
        this.wanted = 'data-saving';
        return this.sync();
      }
      this.log.debug('telemetry mode not set yet', { mode, error: this.lastError });
    }
  }
}
