import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverSerialPorts } from '../../../src/thread/rcp/discovery.js';
import { IdentityStore } from '../../../src/thread/rcp/identity-store.js';
import { identityOf, selectRcp } from '../../../src/thread/rcp/selection.js';
import { FakeSystem } from './fake-sysfs.js';

const nrf = { name: 'ttyACM0', usbPath: '1-1', vendorId: '1915', productId: 'cafe', serial: 'E1A2B3C4D5E6', manufacturer: 'Nordic Semiconductor', product: 'nRF52840 OpenThread Device', driver: 'cdc_acm' };
const esp = { name: 'ttyUSB0', usbPath: '1-2', vendorId: '10c4', productId: 'ea60', serial: '0001', manufacturer: 'Silicon Labs', product: 'CP2102N USB to UART Bridge Controller', driver: 'cp210x' };
const modem = { name: 'ttyUSB1', usbPath: '1-3', vendorId: '2c7c', productId: '0125', manufacturer: 'Quectel', product: 'EC25', driver: 'option1' };

let system: FakeSystem | undefined;
afterEach(() => { system?.cleanup(); system = undefined; });

describe('RCP discovery', () => {
  it('lists USB serial ports with their USB identity and driver, known dongles first, and skips other drivers (a modem)', async () => {
    system = new FakeSystem().add({ ...esp, vendorId: 'ffff', productId: '0000' }).add(nrf).add(modem);
    const ports = await discoverSerialPorts(system.roots);
    expect(ports.map((p) => p.device)).toEqual([join(system.roots.dev, 'ttyACM0'), join(system.roots.dev, 'ttyUSB0')]);
    expect(ports[0]).toMatchObject({ byId: join(system.roots.dev, 'serial/by-id/usb-Nordic_Semiconductor_nRF52840_OpenThread_Device_E1A2B3C4D5E6-if00'), usb: { vendorId: '1915', productId: 'cafe', serial: 'E1A2B3C4D5E6', driver: 'cdc_acm' } });
    expect(ports[0]!.dongle?.name).toMatch(/nRF52840 Dongle/);
    expect(ports[1]).toMatchObject({ usb: { driver: 'cp210x' }, dongle: undefined });
  });

  it('finds nothing on a system without USB serial ports', async () => {
    system = new FakeSystem();
    expect(await discoverSerialPorts(system.roots)).toEqual([]);
  });
});

describe('RCP selection', () => {
  it('prefers the configured device, and reports both dongles when it must choose', async () => {
    system = new FakeSystem().add(nrf).add(esp);
    const ports = await discoverSerialPorts(system.roots);
    const configured = selectRcp(ports, join(system.roots.dev, 'ttyUSB0'));
    expect(configured.chosen?.device).toBe(join(system.roots.dev, 'ttyUSB0'));
    const auto = selectRcp(ports, 'auto');
    expect(auto.chosen?.device).toBe(join(system.roots.dev, 'ttyACM0'));
    expect(auto.reason).toMatch(/2 RCP dongles found \(.*ttyACM0, .*ttyUSB0\): set smartgrid.thread.device to choose/);
    expect(auto.candidates).toHaveLength(2);
  });

  it('follows the remembered dongle (USB serial) to its new ttyACM name', async () => {
    system = new FakeSystem().add(nrf);
    const before = identityOf((await discoverSerialPorts(system.roots))[0]!, '18b4300000000001');
    system.remove('ttyACM0');
    system.add({ ...esp, name: 'ttyUSB3', serial: 'other' }).add({ ...nrf, name: 'ttyACM1' });
    const selection = selectRcp(await discoverSerialPorts(system.roots), 'auto', before);
    expect(selection.chosen?.device).toBe(join(system.roots.dev, 'ttyACM1'));
    expect(selection.reason).toBe(`the dongle seen before (USB serial E1A2B3C4D5E6), now at ${join(system.roots.dev, 'ttyACM1')}`);
  });

  it('uses a configured path that is not a USB port as it is, and says so; says what to check when nothing is there', () => {
    expect(selectRcp([], '/dev/ttyS1')).toMatchObject({ chosen: { device: '/dev/ttyS1' }, reason: 'configured device /dev/ttyS1 (not among the USB serial ports found)' });
    const none = selectRcp([], 'auto');
    expect(none.chosen).toBeUndefined();
    expect(none.reason).toContain('no USB serial port found');
  });
});

describe('IdentityStore', () => {
  it('keeps the identity across restarts and ignores a corrupt file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'thread-id-')), 'state', 'rcp.json');
    const store = new IdentityStore(path);
    expect(await store.load()).toBeUndefined();
    await store.save({ device: '/dev/ttyACM0', usbSerial: 'X', hwaddr: '18b4300000000001' });
    expect(await new IdentityStore(path).load()).toEqual({ device: '/dev/ttyACM0', usbSerial: 'X', hwaddr: '18b4300000000001' });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, '{not json');
    expect(await store.load()).toBeUndefined();
  });
});
