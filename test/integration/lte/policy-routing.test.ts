// The watchdog's policy routes applied with the real `ip` inside a network namespace (netns.ts lab),
// checked with the kernel's own answer (`ip route get`) for each kind of traffic.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeUnless } from '../../helpers/skip.js';
import { ProcessRunner, type CommandRunner } from '../../../src/lte/command.js';
import { PolicyRouting, type UplinkPath } from '../../../src/lte/uplink/policy-routing.js';
import { createUplinkTopology, netnsAvailable, type UplinkTopology } from '../../helpers/netns.js';

const available = netnsAvailable();

describeUnless(available ? null : 'needs root and iproute2 for network namespaces', 'policy routing in a network namespace', () => {
  let lab: UplinkTopology;
  let routing: PolicyRouting;
  const inGateway = (ns: string): CommandRunner => {
    const runner = new ProcessRunner();
    return { run: (command, args, options) => runner.run('ip', ['netns', 'exec', ns, command, ...args], options) };
  };
  const via = (args: string[]) => /dev (\S+)/.exec(lab.exec(lab.gw, ['ip', '-4', 'route', 'get', ...args]))?.[1];
  const paths = (wanUsable = true): UplinkPath[] => [
    { role: 'wan', device: 'wan', gateway: lab.wanGateway, address: lab.wanAddress, resolvers: ['10.77.0.53'], usable: wanUsable },
    { role: 'lte', device: 'lte', gateway: lab.lteGateway, address: lab.lteAddress, resolvers: ['10.88.0.53'], usable: true },
  ];

  beforeAll(() => {
    lab = createUplinkTopology('sgpr');
    routing = new PolicyRouting(inGateway(lab.gw), 3900);
  });
  afterAll(() => lab?.destroy());

  it('sends unbound traffic through the chosen uplink, bound traffic and each resolver through its own', async () => {
    expect(await routing.apply(paths(), 'lte')).not.toEqual([]);
    expect(routing.lastError).toBeUndefined();
    expect(via([lab.serviceAddress])).toBe('lte');
    expect(via([lab.serviceAddress, 'from', lab.wanAddress])).toBe('wan');
    expect(via(['10.77.0.53'])).toBe('wan');
    expect(via(['10.88.0.53'])).toBe('lte');
    expect(via(['10.10.1.7']), 'a connected network stays on its link').toBe('wan');
    expect(await routing.apply(paths(), 'lte'), 'nothing to change the second time').toEqual([]);
    await routing.apply(paths(), 'wan');
    expect(via([lab.serviceAddress])).toBe('wan');
    expect(via([lab.serviceAddress, 'from', lab.lteAddress])).toBe('lte');
  });

  it("refuses what is bound to a down uplink's address instead of sending it out of the other", async () => {
    await routing.apply(paths(false), 'lte');
    expect(() => lab.exec(lab.gw, ['ip', '-4', 'route', 'get', lab.serviceAddress, 'from', lab.wanAddress])).toThrow();
    expect(lab.exec(lab.gw, ['ip', '-4', 'route', 'show', 'table', '3901']).trim()).toBe('unreachable default metric 4000000000');
    expect(via([lab.serviceAddress])).toBe('lte');
  });

  it('clear() leaves plain metric routing', async () => {
    await routing.clear();
    expect(lab.exec(lab.gw, ['ip', '-4', 'rule', 'show'])).not.toMatch(/^39\d\d:/m);
    expect(via([lab.serviceAddress])).toBe('wan');
  });
});
