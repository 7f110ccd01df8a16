// Finds serial ports that may carry the RCP, by identity rather than by ttyACM number:
// /dev/serial/by-id symlinks first, then a sysfs walk (USB ids, serial number, driver).
import { readdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { findKnownDongle, RCP_SERIAL_DRIVERS, type KnownDongle } from './dongles.js';

export interface UsbInfo {
  vendorId: string;
  productId: string;
  serial?: string;
  manufacturer?: string;
  product?: string;
  driver?: string;
  /** The USB device's sysfs directory (holds `authorized`). */
  sysPath?: string;
}

export interface SerialCandidate {
  /** The tty node, e.g. /dev/ttyACM1. */
  device: string;
  /** Its /dev/serial/by-id name when udev made one. */
  byId?: string;
  usb?: UsbInfo;
  dongle?: KnownDongle;
}

/** Where /dev and /sys are; tests point them at a tree of their own. */
export interface SystemRoots { dev: string; sys: string }
export const SYSTEM_ROOTS: SystemRoots = { dev: '/dev', sys: '/sys' };

const TTY_NAME = /^tty(ACM|USB)\d+$/;

async function readAttribute(dir: string, name: string): Promise<string | undefined> {
  const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}

/** The USB device directory above a tty's interface: the first ancestor holding idVendor. */
async function usbDeviceDir(start: string, sysRoot: string): Promise<string | undefined> {
  for (let dir = start; dir.startsWith(sysRoot) && dir !== sysRoot; dir = dirname(dir)) {
    if (await readAttribute(dir, 'idVendor')) return dir;
  }
  return undefined;
}

async function usbInfoOf(ttyName: string, roots: SystemRoots): Promise<UsbInfo | undefined> {
  const deviceLink = join(roots.sys, 'class', 'tty', ttyName, 'device');
  const iface = await realpath(deviceLink).catch(() => undefined);
  if (!iface) return undefined;
  const driver = await realpath(join(deviceLink, 'driver')).then(basename).catch(() => undefined);
  const usbDir = await usbDeviceDir(iface, roots.sys);
  if (!usbDir) return undefined;
  const [vendorId, productId, serial, manufacturer, product] = await Promise.all(['idVendor', 'idProduct', 'serial', 'manufacturer', 'product'].map((n) => readAttribute(usbDir, n)));
  return { vendorId: vendorId!, productId: productId ?? '', serial, manufacturer, product, driver, sysPath: usbDir };
}

async function byIdLinks(roots: SystemRoots): Promise<Map<string, string>> {
  const dir = join(roots.dev, 'serial', 'by-id');
  const links = new Map<string, string>();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const target = await realpath(join(dir, name)).catch(() => undefined);
    if (target) links.set(basename(target), join(dir, name));
  }
  return links;
}

/** Every USB serial port with an RCP-capable driver, known dongles first. */
export async function discoverSerialPorts(roots: SystemRoots = SYSTEM_ROOTS): Promise<SerialCandidate[]> {
  const byId = await byIdLinks(roots);
  const ttys = (await readdir(join(roots.sys, 'class', 'tty')).catch(() => [] as string[])).filter((n) => TTY_NAME.test(n));
  const names = [...new Set([...byId.keys(), ...ttys])].sort();
  const candidates: SerialCandidate[] = [];
  for (const name of names) {
    const usb = await usbInfoOf(name, roots);
    if (usb?.driver && !RCP_SERIAL_DRIVERS.has(usb.driver)) continue;
    candidates.push({ device: join(roots.dev, name), byId: byId.get(name), usb, dongle: findKnownDongle(usb?.vendorId, usb?.productId) });
  }
  return candidates.sort((a, b) => Number(!a.dongle) - Number(!b.dongle));
}
