// A fleet on one machine: an OpenWISP controller stand-in, 20 gateways each with its own root, ubusd
// stand-in, the shipped telemetry and LTE bundles and an agent that follows openwisp-config's cycle and
// merge rules, running the shipped test_script (package/smartgrid-base/.../smartgrid-openwisp-test).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTION_SCHEMAS } from '../../../src/lib/config/schemas/index.js';
import { fleetTemplates } from '../../../tools/fleet/templates.js';
import { startUbusd, type RunningUbusd } from '../../stand-ins/ubusd/server.js';
import { startController, type Controller } from '../../stand-ins/openwisp-controller/controller.js';
import { OpenWispAgent } from '../../stand-ins/openwisp-agent/agent.js';
import { bundleUbusStandIn, waitUntil } from '../../helpers/ubus.js';
import { startShippedServices, writeTestConfig, type ShippedServices } from '../../helpers/shipped-services.js';
import { closedPort, serviceStatus } from '../foundation/device.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const TEST_SCRIPT = join(REPO, 'package/smartgrid-base/files/usr/sbin/smartgrid-openwisp-test');
const GATEWAYS = 20;
const SECRET = 'fleet-shared-secret';
/** A cycle of 20 agents runs the test script (two ubus CLI processes per service) 20 times: slow under load. */
const CYCLE_TIMEOUT_MS = 240_000;

interface Gateway { name: string; root: string; socket: string; ubusd: RunningUbusd; services: ShippedServices; agent: OpenWispAgent }

const work = mkdtempSync(join(tmpdir(), 'sg-fleet-'));
let controller: Controller;
const gateways: Gateway[] = [];

async function startGateway(index: number, cli: string): Promise<Gateway> {
  const name = `gw-${String(index).padStart(3, '0')}`;
  const root = join(work, name);
  const socket = join(root, 'ubus.sock');
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'ubus'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" -s "${socket}" "$@"\n`);
  chmodSync(join(bin, 'ubus'), 0o755);
  const uciDir = writeTestConfig(root, {}, join(root, 'etc/config'));
  const ubusd = await startUbusd({ socketPath: socket });
  const services = startShippedServices({ socket, uciDir, only: ['telemetry', 'lte'] });
  const reloadServices = async () => { for (const child of services.children.values()) child.kill('SIGHUP'); };
  const agent = new OpenWispAgent({ name, url: controller.url, sharedSecret: SECRET, root, reloadServices, testScript: TEST_SCRIPT,
    testEnv: { PATH: `${bin}:/usr/bin:/bin` } });
  return { name, root, socket, ubusd, services, agent };
}

const config = (gateway: Gateway) => readFileSync(join(gateway.root, 'etc/config/smartgrid'), 'utf8');
const upstreamOf = async (gateway: Gateway) => (await serviceStatus(gateway.socket, 'telemetry'))?.upstream;
const pids = () => gateways.map((g) => [...g.services.children.values()].map((child) => child.pid));
const cycleAll = (list = gateways) => Promise.all(list.map((gateway) => gateway.agent.cycle()));

beforeAll(async () => {
  const template = fleetTemplates(SECTION_SCHEMAS).get('smartgrid-telemetry.json')!;
  controller = await startController({ sharedSecret: SECRET, templates: [template], groupVariables: { tb_host: '127.0.0.1', tb_port: String(await closedPort()) } });
  const cli = await bundleUbusStandIn('ubus-cli', work);
  for (let i = 0; i < GATEWAYS; i++) gateways.push(await startGateway(i, cli));
  await waitUntil(async () => (await Promise.all(gateways.map((g) => serviceStatus(g.socket, 'telemetry')))).every(Boolean), 120_000, 'every gateway\'s telemetry service');
}, 300_000);

afterAll(async () => {
  await Promise.all(gateways.map(async (g) => { await g.services.stop(); await g.ubusd.stop(); }));
  await controller?.close();
  rmSync(work, { recursive: true, force: true });
});

describe.sequential('a fleet of 20 gateways under an OpenWISP controller stand-in', () => {
  it('every gateway registers, merges the template over its own config and reports applied', async () => {
    expect(await cycleAll()).toEqual(Array(GATEWAYS).fill('applied'));
    const port = controller.groupVariables.tb_port!;
    for (const gateway of gateways) {
      expect(config(gateway)).toContain(`\toption upstream_port '${port}'\n`);
      expect(config(gateway)).toContain(`\toption queue_dir '${join(gateway.root, 'queue')}'\n`);
    }
    expect([...controller.devices.values()].map((d) => d.status)).toEqual(Array(GATEWAYS).fill('applied'));
    await waitUntil(async () => (await Promise.all(gateways.map(upstreamOf))).every((u) => String(u).endsWith(`:${port}`)), 120_000, 'the pushed upstream in every status');
    expect(await cycleAll()).toEqual(Array(GATEWAYS).fill('unchanged'));
  }, CYCLE_TIMEOUT_MS);

  it('a template variable change reaches every gateway as a reload, not a restart', async () => {
    const before = pids();
    controller.groupVariables.tb_port = String(await closedPort());
    controller.changed();
    expect(await cycleAll()).toEqual(Array(GATEWAYS).fill('applied'));
    const port = controller.groupVariables.tb_port;
    await waitUntil(async () => (await Promise.all(gateways.map(upstreamOf))).every((u) => String(u).endsWith(`:${port}`)), 120_000, 'the new upstream in every status');
    expect(pids()).toEqual(before);
  }, CYCLE_TIMEOUT_MS);

  it('a device\'s access token lands in the root-only smartgrid_secrets, never in the readable config, and the service reloads with it', async () => {
    const [gateway] = gateways;
    const secretsFile = join(gateway!.root, 'etc/config/smartgrid_secrets');
    controller.devices.get(gateway!.agent.uuid)!.variables.tb_token = 'A1b2C3d4E5f6G7h8I9j0';
    expect(await cycleAll()).toEqual(['applied', ...Array(GATEWAYS - 1).fill('unchanged')]);
    expect(readFileSync(secretsFile, 'utf8')).toContain("config telemetry 'telemetry'\n\toption upstream_access_token 'A1b2C3d4E5f6G7h8I9j0'\n");
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    expect(config(gateway!)).not.toContain('A1b2C3d4E5f6G7h8I9j0');
    for (const other of gateways.slice(1)) expect(readFileSync(join(other.root, 'etc/config/smartgrid_secrets'), 'utf8')).not.toContain('option');
    expect((await serviceStatus(gateway!.socket, 'telemetry'))?.config_errors).toBeUndefined();
  }, CYCLE_TIMEOUT_MS);

  it('a bad value is reported as error by the gateways it hits, which keep running on their last good config', async () => {
    const good = controller.groupVariables.tb_port!;
    const hit = gateways.slice(0, 5);
    for (const gateway of hit) controller.devices.get(gateway.agent.uuid)!.variables.tb_port = '70000';
    const before = pids();
    expect(await cycleAll()).toEqual([...Array(5).fill('error'), ...Array(GATEWAYS - 5).fill('unchanged')]);
    for (const gateway of hit) {
      const device = controller.devices.get(gateway.agent.uuid)!;
      expect(device.status).toBe('error');
      expect(device.errorReason).toContain('smartgrid.telemetry refused the configuration: smartgrid.telemetry.upstream_port');
      expect(config(gateway)).toContain(`\toption upstream_port '${good}'\n`);
      expect(String(await upstreamOf(gateway))).toMatch(new RegExp(`:${good}$`));
      expect((await serviceStatus(gateway.socket, 'telemetry'))?.config_errors).toBeUndefined();
    }
    expect(pids()).toEqual(before);
    for (const gateway of hit) delete controller.devices.get(gateway.agent.uuid)!.variables.tb_port;
    expect(await cycleAll(hit)).toEqual(Array(5).fill('applied'));
  }, CYCLE_TIMEOUT_MS);

  it('a gateway that was offline catches up with every change it missed', async () => {
    const [offline, ...online] = gateways;
    controller.groupVariables.tb_host = 'localhost';
    controller.changed();
    expect(await cycleAll(online)).toEqual(Array(GATEWAYS - 1).fill('applied'));
    controller.groupVariables.tb_port = String(await closedPort());
    controller.changed();
    expect(await cycleAll(online)).toEqual(Array(GATEWAYS - 1).fill('applied'));
    expect(config(offline!)).not.toContain("option upstream_host 'localhost'");
    expect(await offline!.agent.cycle()).toBe('applied');
    expect(config(offline!)).toContain("\toption upstream_host 'localhost'\n");
    expect(config(offline!)).toContain(`\toption upstream_port '${controller.groupVariables.tb_port}'\n`);
  }, CYCLE_TIMEOUT_MS);
});
