import type { LteConfig } from '../config.js';
import type { UplinkManagerOptions } from './manager.js';

type Wiring = Pick<UplinkManagerOptions, 'runner' | 'ubus' | 'clock' | 'log' | 'emit' | 'onSwitch'>;

/** The uplink manager's settings from the `uplink_*` options of the `smartgrid.lte` section. */
export function uplinkManagerOptions(config: LteConfig, wiring: Wiring): UplinkManagerOptions {
  return {
    ...wiring,
    names: { wanInterface: config.wan_interface, lteInterface: config.interface, wanDevice: config.wan_device || undefined, lteDevice: config.device || undefined },
    control: config.uplink_control,
    tracking: {
      targets: config.uplink_targets,
      ping: { count: config.uplink_count, timeoutS: config.uplink_timeout },
      thresholds: {
        failureLoss: config.uplink_failure_loss, recoveryLoss: config.uplink_recovery_loss,
        failureLatencyMs: config.uplink_failure_latency, recoveryLatencyMs: config.uplink_recovery_latency,
      },
      reliability: config.uplink_reliability, down: config.uplink_down, up: config.uplink_up, historySize: 30,
    },
    intervalMs: config.uplink_interval * 1000,
    standbyIntervalMs: config.uplink_standby_interval * 1000,
    failbackHoldMs: config.uplink_failback_hold * 1000,
    tableBase: config.uplink_table,
    resolvFile: config.uplink_resolv_file,
    dnsName: config.uplink_dns_name,
    dnsTimeoutMs: config.uplink_timeout * 1000,
  };
}
