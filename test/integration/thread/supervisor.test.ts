// otbr-agent supervision end to end: the stand-in agent on the simulated RCP behind a real pty; each
// fault is injected and the network must be served again (role leader) through the recovery ladder.
import { afterEach, describe, expect, it } from 'vitest';
import { readKey } from '../../../src/thread/otbr/rest-client.js';
import { servedOnce, startThreadBed, type ThreadBed } from './supervisor-harness.js';

let bed: ThreadBed | undefined;
afterEach(async () => { await bed?.close(); bed = undefined; });

async function running(options: Parameters<typeof startThreadBed>[0] = {}): Promise<ThreadBed> {
  bed = await startThreadBed(options);
  const served = servedOnce(bed);
  bed.supervisor.start();
  await served;
  return bed;
}

describe('otbr-agent supervision', () => {
  it('starts otbr-agent on the probed RCP, writes the UCI dataset while disabled, enables Thread and reaches leader', async () => {
    const { supervisor, rest } = await running();
    expect(supervisor.state).toBe('running');
    expect(supervisor.role).toBe('leader');
    expect(supervisor.agent?.lastLines.join('\n')).toMatch(/Radio URL: spinel\+hdlc\+uart:\/\/.*ttyACM0\?uart-baudrate=460800/);
    const active = (await rest.getJson('/node/dataset/active')) as Record<string, unknown>;
    expect(readKey(active, 'NetworkName')).toBe('smartgrid');
    expect(readKey(active, 'PanId')).toBe(0x1234);
    expect(supervisor.counters.datasetWrites).toBe(1);
  });

  it('writes camelCase to an agent that uses camelCase keys (newer otbr-agent) and verifies it', async () => {
    const { rest } = await running({ casing: 'camel' });
    expect(rest.casing).toBe('camel');
    const active = (await rest.getJson('/node/dataset/active')) as Record<string, unknown>;
    expect(active.networkName).toBe('smartgrid');
  });

  it('RCP reboots on the same port: exit 4, restart, leader again', async () => {
    const b = await running();
    const recovered = b.next('recovered');
    b.dongle.rcp!.powerOn();
    const { ms } = await recovered;
    expect(b.supervisor.lastExit).toMatchObject({ code: 4, kind: 'rcp-reset' });
    expect(b.supervisor.faults.at(-1)).toMatchObject({ kind: 'rcp-reset', step: 'restart-agent' });
    expect(b.supervisor.role).toBe('leader');
    expect(ms).toBeGreaterThan(0);
  });

  it('RCP hangs: exit 6, USB re-authorisation, the dongle comes back as ttyACM1, leader again', async () => {
    const b = await running();
    const recovered = b.next('recovered');
    b.dongle.rcp!.hang();
    await recovered;
    expect(b.supervisor.faults.map((f) => f.kind)).toContain('rcp-no-response');
    expect(b.supervisor.faults.find((f) => f.kind === 'rcp-no-response')?.step).toBe('reset-radio');
    expect(b.dongle.replugs).toBe(1);
    expect(b.supervisor.located?.probe?.path).toMatch(/ttyACM1/);
    expect(b.log.join('\n')).toMatch(/radio reset: re-authorised .*usb1\/1-1/);
  });

  it('RCP vanishes and reappears under another name: exit 5, found again by identity', async () => {
    const b = await running();
    const recovered = b.next('recovered');
    const fault = b.next('fault');
    await b.dongle.unplug();
    expect(await fault).toMatchObject({ kind: 'tty-error' });
    await b.dongle.plug();
    await recovered;
    expect(b.supervisor.located?.selection.reason).toMatch(/the dongle seen before \(USB serial E1A2B3C4D5E6\), now at .*ttyACM1/);
  });

  it('otbr-agent killed with SIGKILL: restarted, leader again', async () => {
    const b = await running();
    const recovered = b.next('recovered');
    process.kill(b.supervisor.agent!.pid!, 'SIGKILL');
    await recovered;
    expect(b.supervisor.faults.at(-1)).toMatchObject({ kind: 'killed', step: 'restart-agent' });
  });

  it('gives up with the cause when the dongle now carries an NCP firmware, and restarts on restart_radio', async () => {
    const b = await running({ policy: { backoffMs: [0, 50], maxAttempts: 3 } });
    await b.dongle.setFault('not-rcp');
    const failed = b.next('state', (d) => d.state === 'failed');
    b.dongle.rcp!.powerOn();
    await failed;
    expect(b.supervisor.cause).toMatch(/not an RCP \(CONFIG_FTD: an NCP firmware\).*recovery gave up after 3 attempts/);
    await b.dongle.setFault('none');
    const recovered = b.next('recovered');
    b.supervisor.restartRadio();
    await recovered;
    expect(b.supervisor.state).toBe('running');
  });
});
