// A /dev + /sys tree as the kernel and udev lay it out for USB serial dongles, in a temp dir.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, dirname } from 'node:path';
import type { SystemRoots } from '../../../src/thread/rcp/discovery.js';

export interface FakeUsbTty {
  name: string; // ttyACM0 / ttyUSB0
  usbPath: string; // 1-1
  vendorId: string;
  productId: string;
  serial?: string;
  manufacturer?: string;
  product?: string;
  driver: string; // cdc_acm, cp210x ...
  /** What /dev/<name> is: a symlink to this path (a socat pty), or an empty file. */
  target?: string;
}

function link(target: string, at: string): void {
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(relative(dirname(at), target), at);
}

export class FakeSystem {
  readonly root = mkdtempSync(join(tmpdir(), 'thread-sysfs-'));
  readonly roots: SystemRoots = { dev: join(this.root, 'dev'), sys: join(this.root, 'sys') };

  add(tty: FakeUsbTty): this {
    const { sys, dev } = this.roots;
    const usbDir = join(sys, 'devices/pci0000:00/0000:00:14.0/usb1', tty.usbPath);
    const iface = join(usbDir, `${tty.usbPath}:1.0`);
    const acm = tty.name.startsWith('ttyACM');
    const portDir = acm ? iface : join(iface, tty.name);
    mkdirSync(join(portDir, 'tty', tty.name), { recursive: true });
    const attributes: Record<string, string | undefined> = { idVendor: tty.vendorId, idProduct: tty.productId, serial: tty.serial, manufacturer: tty.manufacturer, product: tty.product };
    for (const [name, value] of Object.entries(attributes)) if (value !== undefined) writeFileSync(join(usbDir, name), `${value}\n`);
    const driverDir = join(sys, 'bus', acm ? 'usb' : 'usb-serial', 'drivers', tty.driver);
    mkdirSync(driverDir, { recursive: true });
    link(driverDir, join(portDir, 'driver'));
    link(portDir, join(portDir, 'tty', tty.name, 'device'));
    link(join(portDir, 'tty', tty.name), join(sys, 'class', 'tty', tty.name));
    mkdirSync(dev, { recursive: true });
    if (tty.target) symlinkSync(tty.target, join(dev, tty.name));
    else writeFileSync(join(dev, tty.name), '');
    if (tty.serial) link(join(dev, tty.name), join(dev, 'serial', 'by-id', `usb-${(tty.manufacturer ?? 'x').replace(/ /g, '_')}_${(tty.product ?? 'x').replace(/ /g, '_')}_${tty.serial}-if00`));
    return this;
  }

  /** The dongle left: its tty, sysfs entries and by-id link are gone (as after a USB reset). */
  remove(name: string): void {
    const { sys, dev } = this.roots;
    rmSync(join(sys, 'class', 'tty', name), { force: true });
    rmSync(join(dev, name), { force: true });
    rmSync(join(sys, 'devices'), { recursive: true, force: true });
    rmSync(join(dev, 'serial'), { recursive: true, force: true });
    try { unlinkSync(join(dev, name)); } catch { /* gone */ }
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
