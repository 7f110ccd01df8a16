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

  constructor(private readonly ubus: Ubus, private readonly log: Logger) {}

  status(): Record<string, unknown> {
    return { wanted: this.wanted, acknowledged: this.acknowledged ?? null, error: this.lastError };
  }

  want(mode: TelemetryMode): void {
    if (mode === this.wanted) return;
    this.wanted = mode;
    this.acknowledged = undefined;
  }

  async sync(): Promise<void> {
    if (this.acknowledged === this.wanted) return;
    const mode = this.wanted;
    try {
      await this.ubus.call('smartgrid.telemetry', 'set_mode', { mode }, { timeoutMs: 3000 });
      this.acknowledged = mode;
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
