import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { createLogger } from '../src/lib/log.js';
import { UbusClient } from '../src/lib/ubus/client.js';
import { UBUS_STATUS, UbusError, type PublishedObject } from '../src/lib/ubus/types.js';
import { startUbusd } from '../test/stand-ins/ubusd/server.js';
import { startRpcdUhttpd, type RpcdUhttpd } from '../test/stand-ins/rpcd-uhttpd/server.js';
import { UbusClientBackend } from '../test/stand-ins/rpcd-uhttpd/ubus-backend.js';
import { loadRpcdUsers } from '../test/stand-ins/rpcd-uhttpd/users.js';
import { startBroker, type RunningBroker } from './brokers.js';
import { demoOverrides, writeDemoAcl, writeDemoConfig, writeRpcdUsers, type DemoUsers } from './demo-config.js';
import { Field } from './field.js';
import { HALOW_TELEMETRY_RULES, HalowField, halowOverrides, installHalowDevice } from './halow.js';
import { MODEM_FAULTS, SimulatedModem, type ModemFault } from './modem.js';
import { SimulatedNetwork } from './network.js';
import { startServices, stopServices, type ServiceProcess } from './services.js';
import { SimulatedThreadRadio, THREAD_FAULTS, type ThreadFault } from './thread.js';
import { freeUdpPort, SimulatedThreadNodes } from './thread-nodes.js';

/** Every service the feed ships, in the catalog's order: what the demo says it could not start. */
export { SERVICES as SHIPPED_SERVICE_NAMES } from '../tools/feed/catalog.js';

export interface DemoOptions {
  repo: string;
  /** Working directory of this run (config, sockets, queue, logs). */
  dir: string;
  webPort?: number;
  users?: Partial<DemoUsers>;
  /** LuCI's apply_rollback / apply_holdoff for the pages (seconds). */
  applyRollbackS?: number;
  applyHoldoffS?: number;
  operatorName?: string;
  /** Meter ids added to the simulated field verbatim (e.g. one containing HTML). */
  extraMeters?: string[];
  meterIntervalS?: number;
  /** When the simulated dcu-03 goes silent and dcu-02 weakens (seconds after they joined). */
  halowSilentAfterS?: number;
  halowWeakAfterS?: number;
  quiet?: boolean;
}

export interface DemoGateway {
  url: string;
  users: DemoUsers;
  web: RpcdUhttpd;
  modem: SimulatedModem;
  network: SimulatedNetwork;
  field: Field;
  services: ServiceProcess[];
  configDir: string;
  stop(): Promise<void>;
}

const word = () => randomBytes(4).toString('hex');

/** The whole simulated gateway of `make demo` and of the end-to-end tests. */
export async function startDemoGateway(options: DemoOptions): Promise<DemoGateway> {
  const { repo, dir } = options;
  mkdirSync(dir, { recursive: true });
  const fsRoot = join(dir, 'root');
  const configDir = join(fsRoot, 'etc', 'config');
  const users: DemoUsers = { root: options.users?.root ?? `demo-${word()}`, viewer: options.users?.viewer ?? `view-${word()}` };
  const log = createLogger({ name: 'smartgrid-sim', level: options.quiet ? 'warn' : 'info' });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => { for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined); cleanups.length = 0; };

  try {
    const ubusd = await startUbusd({ socketPath: join(dir, 'ubus.sock') });
    cleanups.push(() => ubusd.stop());
    const local: RunningBroker = await startBroker();
    cleanups.push(() => local.close());
    const upstream: RunningBroker = await startBroker();
    cleanups.push(() => upstream.close());

    const modem = new SimulatedModem(join(dir, 'modem'), options.operatorName ?? 'Movistar');
    modem.installCommands(join(dir, 'bin'), join(repo, 'test', 'stand-ins', 'mmcli', 'mmcli.mjs'));
    modem.start();
    cleanups.push(() => modem.stop());
    const radio = new SimulatedThreadRadio(join(dir, 'thread'));
    await radio.start();
    cleanups.push(() => radio.stop());
    const thread = await radio.serviceSettings();
    const coap = { bridgePort: await freeUdpPort(), nodePort: await freeUdpPort() };
    const coapUci: [string, string][] = [['coap_listen', '::1'], ['coap_port', String(coap.bridgePort)], ['node_port', String(coap.nodePort)], ['mqtt_port', String(local.port)], ['region', 'es-mad']];
    const overrides = demoOverrides(dir, { localBroker: local.port, upstreamBroker: upstream.port });
    writeDemoConfig(configDir, withHalow({ ...overrides, thread: [...(overrides.thread ?? []), ...thread.uci, ...coapUci] }, local.port));
    installHalowDevice(configDir, join(dir, 'bin'));
    writeRpcdUsers(configDir, users);
    const aclDir = join(dir, 'acl.d');
    writeDemoAcl(aclDir);

    const ubus = new UbusClient({ socketPath: ubusd.socketPath, log: log.child('ubus'), reconnectDelayMs: 200 });
    await ubus.connect();
    ubus.start();
    cleanups.push(() => ubus.close());
    const network = new SimulatedNetwork(ubus, () => modem.state.online, () => modem.requestIfup());
    await network.publish();
    cleanups.push(() => network.close());
    // rpcd's `rc` object: the watchdog restarts ModemManager with `rc init`.
    const rc = await ubus.publish('rc', { init: { signature: { name: 'string', action: 'string' }, handler: (args) => {
      if (args.name === 'modemmanager' && args.action === 'restart') modem.requestMmRestart();
      return {};
    } } });
    cleanups.push(() => rc.remove());

    const field = new Field(mqtt.connect(`mqtt://127.0.0.1:${local.port}`, { clientId: 'sim-field' }), {
      region: 'es-mad', dcus: 3, metersPerDcu: 20, intervalS: options.meterIntervalS ?? 30, anomalyRate: 0.01, malformedRate: 0.005,
      extraMeters: options.extraMeters,
    });
    field.start();
    cleanups.push(() => field.stop());

    const halow = new HalowField(ubus, { tickS: 2, silentAfterS: options.halowSilentAfterS ?? 45, weakAfterS: options.halowWeakAfterS ?? 30 });
    await halow.start();
    cleanups.push(() => halow.stop());

    const threadNodes = new SimulatedThreadNodes({ ...coap, intervalS: options.meterIntervalS ?? 30, log: log.child('thread-nodes') });
    await threadNodes.start();
    cleanups.push(() => threadNodes.stop());

    const sim = await publishSimObject(ubus, { modem, network, field, upstream, radio });
    cleanups.push(() => sim.remove());

    const env = {
      ...process.env, ...thread.env, SMARTGRID_UBUS_SOCKET: ubusd.socketPath, SMARTGRID_UCI_DIR: configDir,
      MMCLI_SCENARIO: modem.scenarioPath, PATH: `${join(dir, 'bin')}:${join(repo, 'test', 'stand-ins', 'uci')}:${process.env.PATH ?? ''}`, SMARTGRID_STATE_ROOT: join(dir, 'lte-root'),
    };
    const services = startServices({ repo, dir, env, fsRoot });
    cleanups.push(() => stopServices(services));

    const backend = new UbusClientBackend(ubus);
    const web = await startRpcdUhttpd({
      configDir, fsRoot, backend, port: options.webPort ?? 0,
      users: () => loadRpcdUsers(join(configDir, 'rpcd')),
      aclDirs: [join(repo, 'luci-app-smartgrid/root/usr/share/rpcd/acl.d'), aclDir],
      env: { apply_rollback: options.applyRollbackS ?? 90, apply_holdoff: options.applyHoldoffS ?? 4 },
      // rpcd's apply runs reload_config: procd sends the services their reload signal.
      onReload: (configs) => { if (configs.includes('smartgrid')) for (const service of services) service.child.kill('SIGHUP'); backend.invalidate(); },
    });
    cleanups.push(() => web.close());
    return { url: web.url, users, web, modem, network, field, services, configDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The demo overrides plus the HaLow AP and the telemetry rules that raise its alarms upstream. */
function withHalow(overrides: Record<string, [string, string | string[]][]>, localBrokerPort: number): Record<string, [string, string | string[]][]> {
  const telemetry = (overrides.telemetry ?? []).map(([key, value]): [string, string | string[]] => (key === 'rule_range' ? [key, [...(Array.isArray(value) ? value : [value]), ...HALOW_TELEMETRY_RULES]] : [key, value]));
  return { ...overrides, telemetry, halow: [...(overrides.halow ?? []), ...halowOverrides(localBrokerPort, 'es-mad')] };
}

interface Simulated { modem: SimulatedModem; network: SimulatedNetwork; field: Field; upstream: RunningBroker; radio: SimulatedThreadRadio }

async function publishSimObject(ubus: UbusClient, { modem, network, field, upstream, radio }: Simulated): Promise<PublishedObject> {
  return ubus.publish('smartgrid.sim', {
    status: {
      handler: () => ({
        modem: { ...modem.state, events: modem.events.slice(-10) },
        wan_up: network.wan,
        field: { ...field.stats },
        upstream_messages: Object.fromEntries(upstream.received),
      }),
    },
    modem_fault: {
      signature: { fault: 'string' },
      handler: (args) => {
        const fault = String(args.fault) as ModemFault;
        if (!(MODEM_FAULTS as readonly string[]).includes(fault)) throw new UbusError(UBUS_STATUS.INVALID_ARGUMENT, `fault must be one of ${MODEM_FAULTS.join('|')}`);
        modem.fault(fault);
        return { fault, modem: { ...modem.state } };
      },
    },
    thread_fault: {
      signature: { fault: 'string' },
      handler: async (args) => {
        const fault = String(args.fault) as ThreadFault;
        if (!(THREAD_FAULTS as readonly string[]).includes(fault)) throw new UbusError(UBUS_STATUS.INVALID_ARGUMENT, `fault must be one of ${THREAD_FAULTS.join('|')}`);
        await radio.fault(fault);
        return { fault };
      },
    },
    wan: {
      signature: { up: 'boolean' },
      handler: (args) => { network.setWan(args.up !== false); return { wan_up: network.wan }; },
    },
  });
}
