import { describe, expect, it } from 'vitest';
import { encodeHdlcFrame } from '../../../src/thread/hdlc/encoder.js';
import { SpinelClient, SpinelStatusError, SpinelTimeoutError } from '../../../src/thread/spinel/client.js';
import { SPINEL_COMMANDS as C, SPINEL_PROPERTIES as P } from '../../../src/thread/spinel/constants.js';
import { encodeSpinelFrame } from '../../../src/thread/spinel/frame.js';
import { decodeProtocolVersion } from '../../../src/thread/spinel/values.js';
import { inProcessRcp } from '../../stand-ins/rcp-sim/in-process.js';
import { wholeFrames } from './captures.js';

describe('SpinelClient', () => {
  it('sends RESET as OpenThread does (TID 0, payload 02) and resolves on the unsolicited RESET_POWER_ON', async () => {
    const { port, written } = inProcessRcp();
    const client = new SpinelClient(port);
    await expect(client.reset()).resolves.toEqual({ status: 112, name: 'RESET_POWER_ON' });
    const captured = wholeFrames('spinel/startup.json').find((f) => f.command?.name === 'SPINEL_CMD_RESET')!;
    expect(written[0]!.toString('hex')).toBe(captured.wire_hex);
    expect(client.counters.resets).toBe(1);
  });

  it('matches replies by TID, even when they come back in another order', async () => {
    const { port } = inProcessRcp({ fault: 'silent' });
    const client = new SpinelClient(port);
    const version = client.get(P.PROTOCOL_VERSION);
    const hwaddr = client.get(P.HWADDR);
    const reply = (tid: number, property: number, hex: string): Buffer => encodeHdlcFrame(encodeSpinelFrame({ iid: 0, tid, command: C.PROP_VALUE_IS, property, payload: Buffer.from(hex, 'hex') }));
    port.push(Buffer.concat([reply(2, P.HWADDR, '18b4300000000001'), reply(1, P.PROTOCOL_VERSION, '0403')]));
    expect(Buffer.from(await hwaddr).toString('hex')).toBe('18b4300000000001');
    expect(decodeProtocolVersion(await version)).toEqual({ major: 4, minor: 3 });
    expect(client.counters.stray).toBe(0);
  });

  it('accepts a SET answered by LAST_STATUS OK and one answered by PROP_VALUE_IS', async () => {
    const client = new SpinelClient(inProcessRcp().port);
    await expect(client.set(P.RCP_MAC_KEY, Buffer.alloc(36))).resolves.toEqual(Buffer.from('00', 'hex'));
    await expect(client.set(P.PHY_ENABLED, Buffer.of(1))).resolves.toEqual(Buffer.of(1));
  });

  it('rejects with the status name when the RCP answers LAST_STATUS instead of the property', async () => {
    const client = new SpinelClient(inProcessRcp().port);
    await expect(client.get(P.NET_ROLE)).rejects.toThrow(new SpinelStatusError('PROP_VALUE_GET NET_ROLE', { status: 13, name: 'PROP_NOT_FOUND' }));
    await expect(client.set(P.PHY_CHAN, Buffer.of(19))).rejects.toThrow('RCP answered PROP_VALUE_SET PHY_CHAN with status INVALID_STATE (4)');
  });

  it('times out with a readable error naming the request, and frees the TID', async () => {
    const { port, rcp } = inProcessRcp({ fault: 'silent' });
    const client = new SpinelClient(port, { timeoutMs: 20 });
    const error = await client.get(P.PROTOCOL_VERSION).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpinelTimeoutError);
    expect((error as Error).message).toBe('RCP did not answer PROP_VALUE_GET PROTOCOL_VERSION (tid 1) within 20 ms');
    rcp.fault = 'none';
    await expect(client.noop()).resolves.toBeUndefined();
  });

  it('counts frames that are HDLC but not Spinel, and stray replies nobody asked for', async () => {
    const { port } = inProcessRcp();
    const client = new SpinelClient(port);
    port.push(encodeHdlcFrame(Buffer.from('410202', 'hex')));
    port.push(encodeHdlcFrame(encodeSpinelFrame({ iid: 0, tid: 9, command: C.PROP_VALUE_IS, property: P.PHY_CHAN, payload: Buffer.of(11) })));
    await client.noop();
    expect(client.counters.notSpinel).toBe(1);
    expect(client.counters.stray).toBe(1);
  });

  it('fails every pending request when the port closes', async () => {
    const { port } = inProcessRcp({ fault: 'silent' });
    const client = new SpinelClient(port, { timeoutMs: 60_000 });
    const pending = client.get(P.CAPS);
    port.destroy();
    await expect(pending).rejects.toThrow('RCP port closed');
  });
});
