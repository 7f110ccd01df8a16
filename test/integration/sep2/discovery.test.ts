import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Discovery } from '../../../src/sep2/discovery.js';
import { startTestUbus, testLogger, type TestUbus } from '../../helpers/ubus.js';

describe('DNS-SD through umdns (ubus)', () => {
  let bus: TestUbus;
  let dir: string;
  beforeEach(async () => { bus = await startTestUbus(); dir = mkdtempSync(join(tmpdir(), 'sg-sep2-umdns-')); });
  afterEach(async () => { await bus.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('with umdns on the bus: writes the service file umdns reads and asks it to reload; withdraws on stop', async () => {
    const reloads: number[] = [];
    const umdns = await bus.newClient();
    await umdns.publish('umdns', { reload: { handler: () => { reloads.push(Date.now()); return {}; } } });
    const file = join(dir, 'umdns', 'smartgrid-sep2.json');
    const discovery = new Discovery({ ubus: bus.client, log: testLogger(), serviceFile: file });
    await discovery.apply(8443);
    expect(discovery.state).toBe('announced');
    expect(reloads).toHaveLength(1);
    const services = JSON.parse(readFileSync(file, 'utf8'));
    expect(services.smartgrid_sep2).toEqual({ service: '_smartenergy._tcp.local', port: 8443, txt: ['txtvers=1', 'dcap=/dcap', 'https=8443', 'level=-S1'] });
    expect(Object.values(services).map((entry) => (entry as { service: string }).service)).toEqual(expect.arrayContaining([
      '_edev._sub._smartenergy._tcp.local', '_mup._sub._smartenergy._tcp.local', '_upt._sub._smartenergy._tcp.local', '_tm._sub._smartenergy._tcp.local',
    ]));
    await discovery.apply(undefined);
    expect(existsSync(file)).toBe(false);
    expect(reloads).toHaveLength(2);
    expect(discovery.state).toBe('off');
  });

  it('without umdns: nothing is written and the state says why', async () => {
    const file = join(dir, 'smartgrid-sep2.json');
    const discovery = new Discovery({ ubus: bus.client, log: testLogger(), serviceFile: file });
    await discovery.apply(8443);
    expect(discovery.state).toBe('umdns-missing');
    expect(existsSync(file)).toBe(false);
  });
});
