// The shipped smartgrid-thread bundle cooperating with the `openthread` netifd proto (netifd stand-in):
// netifd runs otbr-agent from /etc/config/network; the service never starts one and never writes the
// dataset, recovers an RCP reboot through `down` + `up` of the interface, and reports a radio_url left
// stale by a re-enumerated dongle as `failed` with what to set (it never rewrites the network config).
import { readFileSync, renameSync, symlinkSync, rmSync, realpathSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtbrRest } from '../../../src/thread/otbr/rest-client.js';
import { waitUntil } from '../../helpers/ubus.js';
import { tlvsFromDataset } from '../../stand-ins/netifd/tlvs.js';
import { startThreadService, type RunningThread } from './service-harness.js';

const PROTO_NETWORK = { channel: 15, panId: 0x1234, extPanId: 'dead00beef00cafe', networkName: 'netifd-net', networkKey: '00112233445566778899aabbccddeeff', meshLocalPrefix: 'fd11:22::/64' };
const network = (device: string): string => `config interface 'lan'\n\toption proto 'static'\n\nconfig interface 'thread'\n\toption proto 'openthread'\n\toption radio_url 'spinel+hdlc+uart://${device}-acm0?uart-baudrate=460800'\n\toption device 'wpan0'\n\toption backbone_network 'lan'\n\toption dataset '${tlvsFromDataset(PROTO_NETWORK)}'\n`;

let thread: RunningThread;
let stableLink: string;

beforeAll(async () => {
  thread = await startThreadService({ uci: { network_name: 'smartgrid', panid: '0x1234', extpanid: 'dead00beef00cafe', channel: 15 }, netifd: { name: 'thread', network } });
  // The admin's radio_url names the ttyACM path; smartgrid.thread `device` names the stable one.
  stableLink = thread.device;
  symlinkSync(realpathSync(stableLink), `${stableLink}-acm0`);
}, 120_000);

afterAll(async () => {
  rmSync(`${stableLink}-acm0`, { force: true });
  rmSync(`${stableLink}-acm1`, { force: true });
  await thread?.stop();
});

const status = (): Promise<Record<string, any>> => thread.status();
const parentOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
const event = (what: string, after: number): (() => boolean) => () => thread.events.slice(after).some((e) => e.what === `smartgrid.thread.${what}`);

describe('smartgrid-thread with the openthread netifd proto', () => {
  it('serves the network netifd runs: no agent of its own, the dataset left to the proto, status names netifd', async () => {
    await waitUntil(async () => (await status()).radio_state === 'running', 30_000, 'radio_state running');
    const reply = await status();
    expect(reply).toMatchObject({ radio_state: 'running', thread: { role: 'leader', network_name: 'netifd-net' }, otbr_agent: { supervisor: 'netifd', interface: 'thread', interface_up: true, starts: 0, running: true }, counters: { dataset_writes: 0 } });
    expect(reply.otbr_agent.pid).toBeUndefined();
    expect(reply.otbr_agent.dataset_note).toMatch(/differs from smartgrid\.thread in NetworkName.*not written: netifd owns the dataset/);
    expect(thread.netifd!.agentPids).toHaveLength(1);
    expect(parentOf(thread.netifd!.agentPids[0]!)).toBe(process.pid);
    const rest = new OtbrRest({ port: thread.netifd!.restPort });
    const active = (await rest.getJson('/node/dataset/active')) as Record<string, unknown>;
    rest.close();
    expect(active.NetworkName).toBe('netifd-net');
    expect(thread.output.join('').match(/differs from smartgrid\.thread/g)).toHaveLength(1);
  }, 60_000);

  it('an RCP reboot (agent exit 4) takes the interface down; recovered by down + up through netifd (never an agent of its own), leader again', async () => {
    const mark = thread.events.length;
    const calls = thread.netifd!.calls.length;
    thread.rcp.powerOn();
    await waitUntil(event('recovered', mark), 30_000, 'recovered event');
    const reply = await status();
    expect(reply).toMatchObject({ radio_state: 'running', thread: { role: 'leader' }, otbr_agent: { supervisor: 'netifd', starts: 0 }, counters: { recoveries: 1, dataset_writes: 0 } });
    expect(reply.faults.at(-1)).toMatchObject({ kind: 'interface-down', step: 'restart-interface' });
    expect(thread.netifd!.calls.slice(calls)).toEqual(['down', 'up']);
    expect(thread.netifd!.agentPids).toHaveLength(2);
    expect(parentOf(thread.netifd!.agentPids[1]!)).toBe(process.pid);
  }, 60_000);

  it('restart_radio cycles the interface through netifd (down, then up)', async () => {
    const mark = thread.events.length;
    const calls = thread.netifd!.calls.length;
    await thread.bus.client.call('smartgrid.thread', 'restart_radio');
    await waitUntil(event('recovered', mark), 30_000, 'recovered event');
    expect(thread.netifd!.calls.slice(calls)).toEqual(['down', 'up']);
    expect((await status()).thread.role).toBe('leader');
  }, 60_000);

  it('a dongle that re-enumerated under a stale radio_url ends failed, naming the option, the stale path and the one to use', async () => {
    const mark = thread.events.length;
    renameSync(`${stableLink}-acm0`, `${stableLink}-acm1`);
    const before = readFileSync(thread.networkConfig, 'utf8');
    thread.rcp.powerOn();
    await waitUntil(async () => (await status()).radio_state === 'failed', 30_000, 'radio_state failed');
    const reply = await status();
    expect(reply.radio_cause).toContain(`network.thread.radio_url names ${stableLink}-acm0, which does not exist`);
    expect(reply.radio_cause).toContain(`the RCP answers on ${stableLink}: set network.thread.radio_url to 'spinel+hdlc+uart://${stableLink}?uart-baudrate=460800'`);
    expect(reply.faults.at(-1)).toMatchObject({ kind: 'stale-radio-url', step: 'give-up' });
    expect(readFileSync(thread.networkConfig, 'utf8')).toBe(before);
    expect(thread.events.slice(mark).some((e) => e.what === 'smartgrid.thread.fault')).toBe(true);
  }, 60_000);
});

describe('supervisor netifd without an openthread interface', () => {
  it('does not start: status says start-failed with the error naming the options, and no agent runs', async () => {
    const bare = await startThreadService({ uci: { supervisor: 'netifd' } });
    try {
      await waitUntil(async () => (await bare.status()).state === 'start-failed', 30_000, 'start-failed');
      const reply = await bare.status();
      expect(reply.last_error).toMatch(/smartgrid\.thread\.supervisor is 'netifd' but \/etc\/config\/network has no interface with option proto 'openthread'/);
      expect(bare.output.join('')).not.toContain('starting otbr-agent');
    } finally {
      await bare.stop();
    }
  }, 60_000);
});

