// Who keeps otbr-agent serving the network: this service (OtbrSupervisor runs the agent) or netifd (the
// admin's `openthread` proto runs it; NetifdSupervisor watches it and recovers through the interface).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../lib/log.js';
import type { Ubus } from '../../lib/ubus/types.js';
import { datasetFromConfig, radioTarget, type ThreadConfig } from '../config.js';
import { SYSTEM_ROOTS, type SystemRoots } from '../rcp/discovery.js';
import { IdentityStore } from '../rcp/identity-store.js';
import { locateRcp, type LocateResult } from '../rcp/locate.js';
import { resetUsbDongle } from '../rcp/usb-reset.js';
import { chooseSupervisor, netifdControl, openthreadInterfaces, type OpenthreadInterface } from './netifd.js';
import { NetifdSupervisor } from './netifd-supervisor.js';
import { OtbrRest } from './rest-client.js';
import { OtbrSupervisor } from './supervisor.js';

export type RadioSupervisor = OtbrSupervisor | NetifdSupervisor;

/** Our own agent's process is up, or (under netifd, which owns the process) its REST answers. */
export function agentRunning(supervisor: RadioSupervisor): boolean {
  return supervisor.agent?.running ?? (supervisor.supervision.supervisor === 'netifd' && supervisor.node !== undefined);
}

export interface RadioSupervisorDeps {
  config: ThreadConfig;
  ubus: Ubus;
  log: Logger;
  emit(what: string, data: unknown): void;
  roots?: SystemRoots;
  /** Environment of otbr-agent (tests point it at the stand-in's settings). */
  agentEnv?: NodeJS.ProcessEnv;
  /** /etc/config/network (default: `network` in SMARTGRID_UCI_DIR, else /etc/config). */
  networkConfig?: string;
}

function interfacesIn(path: string): OpenthreadInterface[] {
  return existsSync(path) ? openthreadInterfaces(readFileSync(path, 'utf8')) : [];
}

async function resetRadio(located: LocateResult | undefined, roots: SystemRoots): Promise<string> {
  const usbDir = located?.selection.chosen?.usb?.sysPath;
  if (!usbDir) return 'not a USB dongle: nothing to re-authorise';
  return resetUsbDongle(usbDir, roots);
}

/** The supervisor smartgrid.thread.supervisor and /etc/config/network call for; throws a config error naming the options. */
export function buildRadioSupervisor(deps: RadioSupervisorDeps): RadioSupervisor {
  const { config, log, emit } = deps;
  const roots = deps.roots ?? SYSTEM_ROOTS;
  const store = new IdentityStore(config.state_file);
  const target = radioTarget(config);
  const locate = (): Promise<LocateResult> => locateRcp({ device: target.device, baud: target.baud, store, roots });
  const networkConfig = deps.networkConfig ?? join(process.env.SMARTGRID_UCI_DIR ?? '/etc/config', 'network');
  const choice = chooseSupervisor(config.supervisor, interfacesIn(networkConfig));
  if (choice.supervisor === 'netifd') {
    const { iface } = choice;
    log.notice(`network.${iface.name} has proto 'openthread': netifd runs otbr-agent, smartgrid watches it and recovers through the interface`);
    return new NetifdSupervisor({
      iface, netifd: netifdControl(deps.ubus, iface.name), rest: new OtbrRest({ port: config.rest_port }), dataset: datasetFromConfig(config), locate,
      currentInterface: () => interfacesIn(networkConfig).find((candidate) => candidate.name === iface.name),
      log, emit,
    });
  }
  return new OtbrSupervisor({
    locate,
    resetRadio: (located) => resetRadio(located, roots),
    launch: { binary: config.otbr_agent, threadInterface: config.thread_if, infraInterface: config.infra_if, restPort: config.rest_port, env: deps.agentEnv },
    rest: new OtbrRest({ port: config.rest_port }),
    dataset: datasetFromConfig(config),
    pendingDelayMs: config.pending_delay * 1000,
    log, emit,
  });
}
