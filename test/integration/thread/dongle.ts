// A USB RCP dongle as the supervisor sees it: a simulated RCP behind a real socat pty, listed in a
// /dev + /sys tree. Writing 0 then 1 to its sysfs `authorized` (our USB reset) unplugs it and
// plugs a fresh one in under the next ttyACM name, as the kernel re-enumerates a reset dongle.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RcpFault } from '../../stand-ins/rcp-sim/faults.js';
import { startPtyRcp, type PtyRcp } from '../../stand-ins/rcp-sim/pty.js';
import { FakeSystem } from '../../unit/thread/fake-sysfs.js';

const NRF = { usbPath: '1-1', vendorId: '1915', productId: 'cafe', serial: 'E1A2B3C4D5E6', manufacturer: 'Nordic Semiconductor', product: 'nRF52840 OpenThread Device', driver: 'cdc_acm' };

export class SimulatedDongle {
  readonly system = new FakeSystem();
  rcp: PtyRcp | undefined;
  name = '';
  replugs = 0;
  private index = 0;
  private watcher: NodeJS.Timeout | undefined;

  constructor(private readonly dir: string, private fault: RcpFault = 'none') {}

  get authorizedFile(): string { return join(this.system.roots.sys, 'devices/pci0000:00/0000:00:14.0/usb1', NRF.usbPath, 'authorized'); }

  /** Enumerates (again) as ttyACM<n>, n counting up. */
  async plug(fault: RcpFault = this.fault): Promise<void> {
    this.fault = fault;
    this.name = `ttyACM${this.index++}`;
    this.rcp = await startPtyRcp({ path: join(this.dir, `pts-${this.name}`), fault });
    this.system.add({ ...NRF, name: this.name, target: this.rcp.path });
    writeFileSync(this.authorizedFile, '1\n');
    this.watchAuthorized();
  }

  /** The firmware changes (it survives a USB reset). */
  async setFault(fault: RcpFault): Promise<void> {
    this.fault = fault;
    await this.rcp!.setFault(fault);
  }

  async unplug(): Promise<void> {
    clearInterval(this.watcher);
    await this.rcp?.vanish();
    this.rcp = undefined;
    this.system.remove(this.name);
  }

  private watchAuthorized(): void {
    clearInterval(this.watcher);
    let last = '1';
    this.watcher = setInterval(() => {
      let value = last;
      try { value = readFileSync(this.authorizedFile, 'utf8').trim(); } catch { return; }
      if (value === last) return;
      last = value;
      if (value === '0') void this.unplug().then(() => this.replugAfterReset());
    }, 20);
  }

  private async replugAfterReset(): Promise<void> {
    this.replugs++;
    await this.plug();
  }

  async close(): Promise<void> {
    clearInterval(this.watcher);
    await this.rcp?.stop();
    this.system.cleanup();
  }
}
