// The topology reader on the real interfaces: REST /diagnostics on its own connection (a 2 s read
// must not hold up the supervisor's liveness query on the shared one), opened per read (a minute
// apart, past the agent's keep-alive), and ot-ctl for the tables.
import type { CommandRunner } from '../../lte/command.js';
import { ProcessRunner } from '../../lte/command.js';
import type { Logger } from '../../lib/log.js';
import type { ThreadConfig } from '../config.js';
import type { ThreadNodeView } from '../contract.js';
import { OtCtl } from './ot-ctl.js';
import { OtbrRest } from './rest-client.js';
import { agentRunning, type RadioSupervisor } from './radio-supervisor.js';
import { TopologyReader } from './topology-reader.js';

/** The captured /diagnostics took 2.0 s; timings may be 50 % off on a loaded gateway. */
export const DIAGNOSTICS_TIMEOUT_MS = 5000;

export interface TopologyWiring {
  config: ThreadConfig;
  /** The current supervisor (a reload replaces it). */
  supervisor(): RadioSupervisor;
  nodeViews(): ThreadNodeView[];
  log: Logger;
  emit(what: string, data: Record<string, unknown>): void;
  runner?: CommandRunner;
}

export function buildTopologyReader(wiring: TopologyWiring): TopologyReader {
  const { config } = wiring;
  const rest = new OtbrRest({ port: config.rest_port, timeoutMs: DIAGNOSTICS_TIMEOUT_MS, keepAlive: false });
  return new TopologyReader({
    diagnostics: () => rest.getJson('/diagnostics'),
    otCtl: new OtCtl({ runner: wiring.runner ?? new ProcessRunner(), binary: config.ot_ctl, threadInterface: config.thread_if }),
    radio: () => {
      const supervisor = wiring.supervisor();
      return { enabled: config.enabled, agentRunning: agentRunning(supervisor), role: supervisor.role };
    },
    nodeViews: wiring.nodeViews,
    intervalMs: config.topology_interval * 1000,
    log: wiring.log,
    emit: wiring.emit,
    close: () => rest.close(),
  });
}
