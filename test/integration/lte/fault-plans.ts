// The WAN faults of issue #11 as scenario plans (fault-scenario.ts), shared by the tests and bench/lte.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UplinkTopology } from '../../helpers/netns.js';
import { addWanDelayElement, blackholeWan, startResolver, wanLoss } from '../../helpers/uplink-faults.js';
import type { FaultPlan } from './fault-scenario.js';
import type { GatewayStack, StackOverrides } from './gateway-stack.js';

export function blackholePlan(lab: UplinkTopology, faultMs: number, overrides?: StackOverrides): FaultPlan {
  return { name: 'blackhole', faultMs, expectSwitch: true, overrides, inject: () => blackholeWan(lab, true), clear: () => blackholeWan(lab, false) };
}

export function linkDownPlan(lab: UplinkTopology, faultMs: number, overrides?: StackOverrides): FaultPlan {
  return { name: 'link-down', faultMs, expectSwitch: true, overrides, inject: () => lab.cutWan(), clear: () => lab.restoreWan() };
}

/** 30 % loss each way (iptables statistic at the ISP) and 2000 ms delay each way (delay element). */
export function degradedPlan(lab: UplinkTopology, faultMs: number, overrides?: StackOverrides): FaultPlan {
  let delay: Awaited<ReturnType<typeof addWanDelayElement>> | undefined;
  return {
    name: 'degraded', faultMs, expectSwitch: true, overrides,
    prepare: async () => { delay = await addWanDelayElement(lab); },
    inject: async () => { wanLoss(lab, 30); await delay!.setDelay(2000); },
    clear: async () => { wanLoss(lab, 0); await delay!.setDelay(0); },
  };
}

export interface DnsPlan extends FaultPlan { sources: string[]; lteQueries(): number; cleanup(): void }

/**
 * The WAN resolver answers NXDOMAIN for the upstream's name (IP path fine); the forwarder's session is
 * dropped (a client with its id connects from the cloud) so it has to resolve again: first through the
 * LTE resolver, then, with that one silent too, from the last-known-good address.
 */
export async function dnsPlan(lab: UplinkTopology, faultMs: number, lte: Record<string, string | number | boolean> = {}): Promise<DnsPlan> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-dns-'));
  const resolvFile = join(dir, 'resolv.conf.auto');
  writeFileSync(resolvFile, `# Interface wan\nnameserver ${lab.wanGateway}\n# Interface wwan\nnameserver ${lab.lteGateway}\n`);
  lab.setGatewayResolver(lab.wanGateway);
  const records = { 'tb.lab.test': lab.serviceAddress };
  const [wanResolver, lteResolver] = await Promise.all([startResolver(lab, lab.isp, lab.wanGateway, records), startResolver(lab, lab.carrier, lab.lteGateway, records)]);
  const sources: string[] = [];
  const kickAndWaitFor = async (stack: GatewayStack, source: string) => {
    const kicker = lab.spawn(lab.cloud, ['mosquitto_sub', '-h', lab.serviceAddress, '-i', stack.forwarderId, '-t', 'kick', '-W', '1']);
    await new Promise((resolve) => kicker.once('exit', resolve));
    for (let i = 0; ; i++) {
      const status = await stack.telemetryStatus();
      const address = status.upstream_address as { source?: string };
      if (status.connection === 'connected' && address.source === source) { sources.push(source); return; }
      if (i > 300) throw new Error(`forwarder never connected through ${source}: ${JSON.stringify(status.upstream_address)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    name: 'dns', faultMs, expectSwitch: false, sources, lteQueries: () => lteResolver.queries(),
    overrides: {
      telemetry: { upstream_host: 'tb.lab.test', upstream_resolv_file: resolvFile },
      lte: { ...lte, uplink_resolv_file: resolvFile, uplink_dns_name: 'tb.lab.test' },
    },
    inject: () => wanResolver.setMode('nxdomain'),
    during: async (stack) => {
      await kickAndWaitFor(stack, 'interface wwan');
      await lteResolver.setMode('silent');
      await kickAndWaitFor(stack, 'last-known-good');
    },
    clear: async () => { await wanResolver.setMode('answer'); await lteResolver.setMode('answer'); },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
