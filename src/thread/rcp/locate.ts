// Finds the RCP and probes it: discovery, selection (configured, remembered, known), probe over
// the baud list, identity remembered; tells when the dongle is another one than before.
import { discoverSerialPorts, SYSTEM_ROOTS, type SystemRoots } from './discovery.js';
import type { IdentityStore } from './identity-store.js';
import { COMMON_BAUDS, probeRcp, type ProbeOptions, type ProbeReport } from './probe.js';
import { identityOf, selectRcp, type RcpIdentity, type RcpSelection } from './selection.js';

export interface LocateOptions {
  /** `auto` or a device path (UCI `device`). */
  device: string;
  /** UCI `baudrate`: tried first (after a known dongle's own speed). */
  baud: number;
  store: IdentityStore;
  roots?: SystemRoots;
  probe?: Partial<Omit<ProbeOptions, 'path' | 'bauds'>>;
}

export interface LocateResult {
  selection: RcpSelection;
  probe?: ProbeReport;
  identity?: RcpIdentity;
  /** The EUI-64 differs from the remembered one: a new dongle took the old one's place. */
  replaced?: { previous: string; now: string };
}

export async function locateRcp(options: LocateOptions): Promise<LocateResult> {
  const remembered = await options.store.load();
  const candidates = await discoverSerialPorts(options.roots ?? SYSTEM_ROOTS);
  const selection = selectRcp(candidates, options.device, remembered);
  const chosen = selection.chosen;
  if (!chosen) return { selection };
  const bauds = [options.baud, ...(chosen.dongle ? [chosen.dongle.baud] : []), ...COMMON_BAUDS];
  const probe = await probeRcp({ ...options.probe, path: chosen.byId ?? chosen.device, bauds });
  if (!probe.ok) return { selection, probe };
  const identity = identityOf(chosen, probe.info?.hwaddr);
  await options.store.save(identity);
  const replaced = remembered?.hwaddr && identity.hwaddr && remembered.hwaddr !== identity.hwaddr ? { previous: remembered.hwaddr, now: identity.hwaddr } : undefined;
  return { selection, probe, identity, replaced };
}
