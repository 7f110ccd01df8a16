import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { discoverSerialPorts, type SystemRoots } from './discovery.js';

/**
 * Power-cycles a USB dongle the way the kernel allows without a hub that switches port power:
 * de-authorise the device (the driver unbinds, the tty disappears), then authorise it again (it
 * enumerates afresh, often as another ttyACM). `usbDir` is the device's sysfs directory.
 */
export async function reauthoriseUsb(usbDir: string, settleMs = 500): Promise<void> {
  const file = join(usbDir, 'authorized');
  await writeFile(file, '0');
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  await writeFile(file, '1').catch(() => undefined); // the kernel may already have re-created the device
}

/** Re-authorises the dongle, then waits (up to `timeoutMs`) until a serial port is back. */
export async function resetUsbDongle(usbDir: string, roots: SystemRoots, timeoutMs = 5000): Promise<string> {
  await reauthoriseUsb(usbDir);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ports = await discoverSerialPorts(roots);
    if (ports.length > 0) return `re-authorised ${usbDir}; back as ${ports.map((p) => p.device).join(', ')}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return `re-authorised ${usbDir}; no serial port back within ${timeoutMs} ms`;
}
