// Detection of the `openthread` netifd proto from /etc/config/network text, and the supervisor choice.
import { describe, expect, it } from 'vitest';
import { chooseSupervisor, openthreadInterfaces, radioUrlDevice, SupervisorConfigError } from '../../../src/thread/otbr/netifd.js';

const NETWORK = `
config interface 'loopback'
	option device 'lo'
	option proto 'static'

config interface 'lan'
	option device 'br-lan'
	option proto 'static'

config interface 'thread'
	option proto 'openthread'
	option radio_url 'spinel+hdlc+uart:///dev/ttyACM0?uart-baudrate=460800'
	option device 'wpan0'
	option backbone_network 'lan'
	option dataset '0e080000000000010000000300000f'
	list prefix 'fd00:1::/64'
	list prefix 'fd00:2::/64'
`;

const SECOND = `
config interface 'thread2'
	option proto 'openthread'
	option radio_url 'spinel+hdlc+uart:///dev/ttyACM1'
`;

describe('openthread interfaces in /etc/config/network', () => {
  it('finds the one with proto openthread and reads its options', () => {
    expect(openthreadInterfaces(NETWORK)).toEqual([{ name: 'thread', radioUrl: 'spinel+hdlc+uart:///dev/ttyACM0?uart-baudrate=460800', device: 'wpan0', backboneNetwork: 'lan', dataset: '0e080000000000010000000300000f', prefixes: ['fd00:1::/64', 'fd00:2::/64'] }]);
  });

  it('has none in a network config without the proto; device defaults to wpan0', () => {
    expect(openthreadInterfaces(NETWORK.split("config interface 'thread'")[0]!)).toEqual([]);
    expect(openthreadInterfaces(SECOND)[0]).toMatchObject({ name: 'thread2', device: 'wpan0', dataset: '', prefixes: [] });
  });

  it('names the tty of a uart radio URL only', () => {
    expect(radioUrlDevice('spinel+hdlc+uart:///dev/serial/by-id/usb-Nordic-if00?uart-baudrate=460800')).toBe('/dev/serial/by-id/usb-Nordic-if00');
    expect(radioUrlDevice('spinel+hdlc+forkpty:///usr/bin/ot-rcp?forkpty-arg=1')).toBeUndefined();
  });
});

describe('who supervises otbr-agent', () => {
  const one = openthreadInterfaces(NETWORK);
  const two = openthreadInterfaces(NETWORK + SECOND);

  it('auto: netifd with one openthread interface, ours with none', () => {
    expect(chooseSupervisor('auto', one)).toMatchObject({ supervisor: 'netifd', iface: { name: 'thread' } });
    expect(chooseSupervisor('auto', [])).toEqual({ supervisor: 'smartgrid' });
  });

  it('smartgrid: always ours, even with openthread interfaces', () => {
    expect(chooseSupervisor('smartgrid', one)).toEqual({ supervisor: 'smartgrid' });
    expect(chooseSupervisor('smartgrid', two)).toEqual({ supervisor: 'smartgrid' });
  });

  it('netifd with none is a config error naming the options', () => {
    expect(() => chooseSupervisor('netifd', [])).toThrow(SupervisorConfigError);
    expect(() => chooseSupervisor('netifd', [])).toThrow(/smartgrid\.thread\.supervisor is 'netifd' but \/etc\/config\/network has no interface with option proto 'openthread'.*'auto' or 'smartgrid'/);
  });

  it('two openthread interfaces are a config error naming both, in auto and netifd', () => {
    for (const mode of ['auto', 'netifd'] as const) {
      expect(() => chooseSupervisor(mode, two)).toThrow(/has 2 interfaces with proto 'openthread' \(network\.thread, network\.thread2\).*supervisor to 'smartgrid'/);
    }
  });
});
