import { describe, expect, it } from 'vitest';
import { lteSchema } from '../../../src/lib/config/schemas/index.js';
import { validateSection } from '../../../src/lib/config/validate.js';
import { powerCycleFiles } from '../../../src/lte/ladder/actions.js';

const XSS = '<img src=x onerror=alert(1)>';

function issuesOf(options: Record<string, string | string[]>): Record<string, string> {
  const result = validateSection(lteSchema, new Map(Object.entries(options)));
  return result.ok ? {} : Object.fromEntries(result.issues.map((issue) => [issue.path.replace('smartgrid.lte.', ''), issue.message]));
}

describe('smartgrid.lte refuses what the write group could turn into root', () => {
  it('has no option naming a program to run', () => {
    for (const option of ['mmcli_path', 'mm_restart_command', 'reboot_command']) {
      expect(issuesOf({ [option]: '/bin/sh -c id' })[option]).toBe(`smartgrid.lte.${option}: unknown option '${option}'`);
    }
  });

  it('keeps state_dir under the persistent prefixes', () => {
    expect(issuesOf({ state_dir: 'relative' }).state_dir).toBe("smartgrid.lte.state_dir: value 'relative' is not an absolute path under /etc/smartgrid or /mnt or /srv");
    for (const bad of ['/tmp/lte', '/etc/init.d', '/etc/smartgrid/../config', '/etc/smartgridx', '']) expect(issuesOf({ state_dir: bad }).state_dir, bad).toBeDefined();
    expect(issuesOf({ state_dir: '/mnt/ssd/smartgrid/lte' })).toEqual({});
  });

  it('lets power_cycle_target name only a USB device id or a GPIO value file', () => {
    for (const bad of ['/etc/passwd', '/sys/bus/usb/drivers/usb/unbind', '/sys/class/gpio/../../../etc/shadow', '1-1;reboot']) {
      expect(issuesOf({ power_cycle_target: bad }).power_cycle_target, bad).toMatch(/does not match the pattern/);
    }
    expect(issuesOf({ power_cycle_method: 'usb', power_cycle_target: '1-1.2' })).toEqual({});
    expect(issuesOf({ power_cycle_method: 'gpio', power_cycle_target: '/sys/class/gpio/modem_power/value' })).toEqual({});
  });

  it('refuses option-like interface names, devices and probe targets', () => {
    const issues = issuesOf({ interface: '-a', wan_interface: 'wan;id', device: '-I', wan_device: 'eth0 -f', probe_targets: ['1.1.1.1', '-f', XSS] });
    expect(issues.interface).toBe("smartgrid.lte.interface: value '-a' starts with '-' (it would be read as an option); it must be a netifd interface name (letters, digits, _; at most 15)");
    expect(Object.keys(issues).sort()).toEqual(['device', 'interface', 'probe_targets', 'wan_device', 'wan_interface']);
    expect(issuesOf({ probe_targets: ['1.1.1.1', '9.9.9.9#53', 'http://192.0.2.1/generate_204', 'dns.google'] })).toEqual({});
  });

  it('refuses markup and free text in hosts, names and settings', () => {
    const issues = issuesOf({ probe_dns_name: XSS, modem: XSS, connect_settings: 'apn=internet,password=secret', ladder_step: ['reboot:settle=1;reboot'] });
    expect(issues.probe_dns_name).toBe(`smartgrid.lte.probe_dns_name: value '${XSS}' is not a host name`);
    expect(Object.keys(issues).sort()).toEqual(['connect_settings', 'ladder_step', 'modem', 'probe_dns_name']);
    expect(issuesOf({ modem: '356938035643809', connect_settings: 'apn=iot.1nce.net,ip-type=ipv4v6,allow-roaming=yes', ladder_step: ['reconnect:spacing=30,backoff=1.5'] })).toEqual({});
  });
});

describe('the power cycle writes only the files its method is for', () => {
  it('maps a USB id to the usb driver bind files and a GPIO name to its value file', () => {
    expect(powerCycleFiles('usb', '1-1.2', '/sys')).toEqual({ files: ['/sys/bus/usb/drivers/usb/unbind', '/sys/bus/usb/drivers/usb/bind'] });
    expect(powerCycleFiles('gpio', '/sys/class/gpio/modem_power/value', '/tmp/sys')).toEqual({ files: ['/tmp/sys/class/gpio/modem_power/value'] });
  });

  it('refuses anything else even when the config was not validated', () => {
    expect(powerCycleFiles('gpio', '/etc/passwd', '/sys')).toEqual({ refused: "power_cycle_target '/etc/passwd' is not a GPIO value file (/sys/class/gpio/<name>/value)" });
    expect(powerCycleFiles('usb', '/sys/class/gpio/x/value', '/sys')).toEqual({ refused: "power_cycle_target '/sys/class/gpio/x/value' is not a USB device id (e.g. 1-1.2)" });
  });
});
