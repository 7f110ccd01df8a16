// The dongle resets and comes back as another ttyACM; later it is swapped for another one. The RCP is
// the simulated one behind a real socat pty; /dev and /sys are a tree laid out as udev and the kernel do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IdentityStore } from '../../../src/thread/rcp/identity-store.js';
import { locateRcp } from '../../../src/thread/rcp/locate.js';
import { startPtyRcp, type PtyRcp } from '../../stand-ins/rcp-sim/pty.js';
import { FakeSystem } from '../../unit/thread/fake-sysfs.js';

const dir = mkdtempSync(join(tmpdir(), 'thread-reenum-'));
const nrf = { usbPath: '1-1', vendorId: '1915', productId: 'cafe', serial: 'E1A2B3C4D5E6', manufacturer: 'Nordic Semiconductor', product: 'nRF52840 OpenThread Device', driver: 'cdc_acm' };
const running: PtyRcp[] = [];
let system: FakeSystem | undefined;

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  system?.cleanup();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function plug(link: string, hwaddr?: string): Promise<PtyRcp> {
  const rcp = await startPtyRcp({ path: join(dir, link), hwaddr });
  running.push(rcp);
  return rcp;
}

function locate(store: IdentityStore) {
  return locateRcp({ device: 'auto', baud: 460800, store, roots: system!.roots });
}

describe('RCP re-enumeration', () => {
  it('finds the same dongle under its new name after a reset, then notices a replacement', async () => {
    system = new FakeSystem();
    const store = new IdentityStore(join(system.root, 'state', 'rcp.json'));
    const first = await plug('pts-a');
    system.add({ ...nrf, name: 'ttyACM0', target: first.path });
    const before = await locate(store);
    expect(before.probe).toMatchObject({ ok: true, info: { hwaddr: '18b4300000000001' } });
    expect(before.identity).toMatchObject({ device: join(system.roots.dev, 'ttyACM0'), usbSerial: 'E1A2B3C4D5E6', hwaddr: '18b4300000000001' });

    await first.vanish();
    system.remove('ttyACM0');
    const again = await plug('pts-b');
    system.add({ ...nrf, name: 'ttyACM1', target: again.path });
    const after = await locate(store);
    expect(after.selection.reason).toMatch(/the dongle seen before \(USB serial E1A2B3C4D5E6\), now at .*ttyACM1/);
    expect(after.probe?.ok).toBe(true);
    expect(after.identity?.hwaddr).toBe('18b4300000000001');
    expect(after.replaced).toBeUndefined();

    await again.vanish();
    system.remove('ttyACM1');
    const other = await plug('pts-c', '18b43000000000aa');
    system.add({ ...nrf, name: 'ttyACM0', serial: 'FFEE00112233', target: other.path });
    const swapped = await locate(store);
    expect(swapped.probe?.ok).toBe(true);
    expect(swapped.replaced).toEqual({ previous: '18b4300000000001', now: '18b43000000000aa' });
  });
});
