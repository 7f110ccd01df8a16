// The probe against the simulated RCP behind real socat ptys, one fault mode at a time.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { COMMON_BAUDS, probeRcp, type ProbeOptions } from '../../../src/thread/rcp/probe.js';
import type { RcpFault } from '../../stand-ins/rcp-sim/faults.js';
import { startPtyRcp, type PtyRcp } from '../../stand-ins/rcp-sim/pty.js';
import { requireTool } from '../../helpers/tools.js';
import { wholeFrames } from '../../unit/thread/captures.js';

const dir = mkdtempSync(join(tmpdir(), 'thread-probe-'));
let rcp: PtyRcp | undefined;
let count = 0;

afterEach(async () => { await rcp?.stop(); rcp = undefined; });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withRcp(fault: RcpFault, extra: { baud?: number } = {}): Promise<PtyRcp> {
  rcp = await startPtyRcp({ path: join(dir, `ttyACM${count++}`), fault, ...extra });
  return rcp;
}

/** Short waits where the expected outcome is silence; the healthy cases keep otbr-agent's 2 s. */
const quick: Partial<ProbeOptions> = { timeoutMs: 400, lateGraceMs: 300 };

describe('RCP probe over a real pty', () => {
  it('reads the identity of a healthy RCP at the first baud', async () => {
    const { path } = await withRcp('none');
    const report = await probeRcp({ path, bauds: [460800, ...COMMON_BAUDS] });
    const ncpVersion = wholeFrames('spinel/probe.json').find((f) => f.property?.name === 'SPINEL_PROP_NCP_VERSION' && f.dir === 'rcp2host')!.value;
    expect(report).toMatchObject({ ok: true, cause: 'ok', baud: 460800, info: { protocol: '4.3', ncpVersion, hwaddr: '18b4300000000001', rcpApiVersion: 11, minHostApiVersion: 4 } });
    expect(report.info!.capabilities).toEqual(expect.arrayContaining(['CONFIG_RADIO', 'MAC_RAW']));
    expect(report.info!.radioCaps).toContain('TRANSMIT_SEC');
    expect(report.attempts).toHaveLength(1);
  });

  it('finds the speed of a dongle running at 115200 after line noise at 460800', async () => {
    const { path } = await withRcp('wrong-baud', { baud: 115200 });
    const report = await probeRcp({ path, bauds: [460800, ...COMMON_BAUDS], ...quick, timeoutMs: 2000 });
    expect(report).toMatchObject({ ok: true, baud: 115200 });
    expect(report.attempts[0]).toMatchObject({ baud: 460800, cause: 'no-hdlc' });
  });

  it('says "no such device" for a missing tty', async () => {
    const report = await probeRcp({ path: join(dir, 'ttyACM99'), bauds: [460800] });
    expect(report).toMatchObject({ ok: false, cause: 'no-device', message: `no such device: ${join(dir, 'ttyACM99')}` });
  });

  it('names the process that holds the port', async () => {
    const { path } = await withRcp('none');
    requireTool('sleep');
    const fd = openSync(path, 'r+');
    const holder = spawn('sleep', ['30'], { stdio: [fd, 'ignore', 'ignore'] });
    closeSync(fd);
    try {
      const report = await probeRcp({ path, bauds: [460800] });
      expect(report.cause).toBe('busy');
      expect(report.message).toContain(`held by sleep (pid ${holder.pid})`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it.each<[RcpFault, string, RegExp]>([
    ['silent', 'no-bytes', /^no byte at all from .* at 460800, 115200, 1000000, 921600 baud: the dongle is silent/],
    ['garbage', 'no-hdlc', /bytes from .* but no valid HDLC frame at 460800, 115200, 1000000, 921600 baud: likely a wrong baud rate/],
    ['echo', 'echo', /sends back what is written to it/],
    ['not-spinel', 'not-spinel', /HDLC frames but no Spinel/],
    ['reset-storm', 'reset-storm', /the RCP reset \d+ times during the probe and answered nothing else/],
    ['protocol-4.2', 'protocol-version', /Spinel protocol 4\.2, the host needs 4\.3/],
    ['not-rcp', 'not-rcp', /not an RCP \(CONFIG_FTD: an NCP firmware\)/],
    ['no-mac-raw', 'no-mac-raw', /lacks the MAC_RAW capability/],
    ['api-too-old', 'api-version', /API version 3 is older than the oldest this otbr-agent accepts \(4; host API 11\)/],
    ['api-too-new', 'api-version', /needs a host with RCP API version 12 or newer, this otbr-agent has 11/],
  ])('fault %s: cause %s with an actionable message', async (fault, cause, message) => {
    const { path } = await withRcp(fault);
    const report = await probeRcp({ path, bauds: [460800, ...COMMON_BAUDS], ...quick });
    expect(report.ok).toBe(false);
    expect(report.cause).toBe(cause);
    expect(report.message).toMatch(message);
  });

  it('tells a slow RCP (answers after 2 s) from a silent one', async () => {
    const { path } = await withRcp('slow');
    const report = await probeRcp({ path, bauds: [460800, 115200], timeoutMs: 2000, lateGraceMs: 8000 });
    expect(report).toMatchObject({ ok: false, cause: 'slow' });
    expect(report.message).toMatch(/answered after more than 2000 ms, beyond otbr-agent's 2000 ms limit/);
    expect(report.attempts).toHaveLength(1);
  });

  // A stale power-on status completes the RESET; the RESET's own late answer then comes before (1 s:
  // as when the status is read late) or after (0 s) the next request times out.
  it.each([0, 1000])('a power-on status %i ms after the RESET does not turn a slow RCP into a reset storm', async (afterMs) => {
    const rcp = await withRcp('slow');
    await rcp.powerOnAfterNextFrame(afterMs);
    const report = await probeRcp({ path: rcp.path, bauds: [460800], timeoutMs: 2000, lateGraceMs: 8000 });
    expect(report).toMatchObject({ ok: false, cause: 'slow' });
  });
});
