/** The `smartgrid.lte` UCI section after schema coercion and defaults (see lte.schema.json). */
export interface LteConfig {
  enabled: boolean;
  log_level: 'debug' | 'info' | 'notice' | 'warn' | 'error';
  modem: string;
  interface: string;
  device: string;
  mmcli_path: string;
  mmcli_timeout: number;
  poll_interval: number;
  signal_rate: number;
  connect_settings: string;
  probe_method: 'icmp' | 'http' | 'dns';
  probe_targets: string[];
  probe_dns_name: string;
  probe_interval: number;
  probe_timeout: number;
  probe_reliability: number;
  probe_down: number;
  probe_up: number;
  failure_grace: number;
  stable_reset: number;
  ladder_step: string[];
  reconnect_method: 'mmcli' | 'ifup';
  reset_method: 'auto' | 'reset' | 'disable-enable';
  mm_restart_command: string;
  power_cycle_method: 'none' | 'usb' | 'gpio';
  power_cycle_target: string;
  power_cycle_off_time: number;
  gpio_active_low: boolean;
  reboot_enabled: boolean;
  reboot_max_per_day: number;
  reboot_command: string;
  wan_interface: string;
  wan_device: string;
  route_source: 'ubus' | 'ip';
  route_poll_interval: number;
  data_saving_on_lte: boolean;
  quota_mb: number;
  quota_reset_day: number;
  quota_warning: number;
  quota_policy: 'data-saving' | 'stop-non-critical' | 'disconnect';
  state_dir: string;
  usage_save_interval: number;
  history_size: number;
  // Uplink health and switching (src/lte/uplink)
  uplink_control: 'auto' | 'ip' | 'mwan3' | 'off';
  uplink_targets: string[];
  uplink_count: number;
  uplink_timeout: number;
  uplink_interval: number;
  uplink_standby_interval: number;
  uplink_reliability: number;
  uplink_down: number;
  uplink_up: number;
  uplink_failure_loss: number;
  uplink_recovery_loss: number;
  uplink_failure_latency: number;
  uplink_recovery_latency: number;
  uplink_failback_hold: number;
  uplink_table: number;
  uplink_resolv_file: string;
  uplink_dns_name: string;
}

export function splitCommand(command: string): string[] {
  return command.trim().split(/\s+/).filter(Boolean);
}
