// The supervisor as the service runs it, on a simulated dongle (real socat pty) and the otbr-agent
// stand-in (a real child process with REST on loopback). Events are kept so tests wait for them.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, memorySink } from '../../../src/lib/log.js';
import type { ThreadDataset } from '../../../src/thread/otbr/dataset.js';
import type { LadderPolicy } from '../../../src/thread/otbr/ladder.js';
import { OtbrRest } from '../../../src/thread/otbr/rest-client.js';
import { OtbrSupervisor } from '../../../src/thread/otbr/supervisor.js';
import { IdentityStore } from '../../../src/thread/rcp/identity-store.js';
import { locateRcp } from '../../../src/thread/rcp/locate.js';
import { resetUsbDongle } from '../../../src/thread/rcp/usb-reset.js';
import { freePort } from '../../helpers/mosquitto.js';
import type { RcpFault } from '../../stand-ins/rcp-sim/faults.js';
import { otbrAgentStandIn } from '../../stand-ins/otbr/build.js';
import { SimulatedDongle } from './dongle.js';

export const UCI_DATASET: ThreadDataset = { networkName: 'smartgrid', panId: 0x1234, extPanId: 'dead00beef00cafe', channel: 15, networkKey: '00112233445566778899aabbccddeeff', meshLocalPrefix: 'fd11:22::/64' };

export interface ThreadBed {
  supervisor: OtbrSupervisor;
  dongle: SimulatedDongle;
  rest: OtbrRest;
  events: EventEmitter;
  log: string[];
  /** Resolves with the data of the next `smartgrid.thread.<what>` event matching `accept`. */
  next(what: string, accept?: (data: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface BedOptions { fault?: RcpFault; casing?: 'pascal' | 'camel'; policy?: LadderPolicy; peers?: boolean }

export async function startThreadBed(options: BedOptions = {}): Promise<ThreadBed> {
  const dir = mkdtempSync(join(tmpdir(), 'thread-bed-'));
  const dongle = new SimulatedDongle(dir, options.fault);
  await dongle.plug();
  const port = await freePort();
  const rest = new OtbrRest({ port, timeoutMs: 3000 });
  const events = new EventEmitter();
  const log: string[] = [];
  const store = new IdentityStore(join(dir, 'rcp.json'));
  const supervisor = new OtbrSupervisor({
    locate: () => locateRcp({ device: 'auto', baud: 460800, store, roots: dongle.system.roots, probe: { timeoutMs: 1000, lateGraceMs: 300 } }),
    resetRadio: async (located) => {
      const usb = located?.selection.chosen?.usb?.sysPath;
      if (!usb) return 'no USB device to re-authorise';
      return resetUsbDongle(usb, dongle.system.roots);
    },
    launch: { binary: await otbrAgentStandIn(), threadInterface: 'wpan0', infraInterface: 'eth0', restPort: port, env: { ...process.env, OTBR_STANDIN_PEERS: options.peers === false ? '0' : '1', OTBR_STANDIN_SETTINGS: join(dir, 'otbr-settings.json'), OTBR_STANDIN_CASING: options.casing ?? 'pascal' } },
    rest, dataset: UCI_DATASET, pendingDelayMs: 1000,
    log: createLogger({ name: 'smartgrid-thread', sink: memorySink(log), level: 'debug' }),
    emit: (what, data) => events.emit(what, data),
    policy: options.policy, livenessMs: 500,
  });
  const next: ThreadBed['next'] = (what, accept = () => true) => new Promise((resolve) => {
    const listener = (data: Record<string, unknown>): void => {
      if (!accept(data)) return;
      events.off(what, listener);
      resolve(data);
    };
    events.on(what, listener);
  });
  return {
    supervisor, dongle, rest, events, log, next,
    async close() {
      await supervisor.stop();
      await dongle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The first time the supervisor reports the network served (role attached). */
export function servedOnce(bed: ThreadBed): Promise<Record<string, unknown>> {
  return bed.supervisor.state === 'running' ? Promise.resolve({ state: 'running' }) : bed.next('state', (d) => d.state === 'running');
}
