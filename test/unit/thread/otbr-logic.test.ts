import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { applyDataset, datasetDifferences } from '../../../src/thread/otbr/dataset.js';
import { classifyExit, firstStep } from '../../../src/thread/otbr/exit-codes.js';
import { RecoveryLadder } from '../../../src/thread/otbr/ladder.js';
import { OtbrRest } from '../../../src/thread/otbr/rest-client.js';
import { freePort } from '../../helpers/mosquitto.js';
import { StandInNode } from '../../stand-ins/otbr/node.js';
import { startRest } from '../../stand-ins/otbr/rest.js';

describe('otbr-agent exit codes', () => {
  it.each([[3, 'incompatible', 'relocate'], [4, 'rcp-reset', 'restart-agent'], [5, 'tty-error', 'relocate'], [6, 'rcp-no-response', 'reset-radio'], [8, 'rcp-reset-required', 'reset-radio'], [1, 'failure', 'relocate'], [2, 'usage', 'give-up']] as const)('exit %d is %s, recovery starts with %s', (code, kind, step) => {
    const exit = classifyExit(code, null);
    expect(exit.kind).toBe(kind);
    expect(exit.meaning).toMatch(/OT_EXIT_/);
    expect(firstStep(exit.kind)).toBe(step);
  });

  it('names a signal', () => {
    expect(classifyExit(null, 'SIGKILL')).toMatchObject({ kind: 'killed', meaning: 'killed by SIGKILL' });
  });
});

describe('recovery ladder', () => {
  it('climbs one rung per failed attempt with growing waits, gives up after the cap, starts over after a recovery', () => {
    const ladder = new RecoveryLadder({ backoffMs: [0, 100, 400], maxAttempts: 4 });
    expect(ladder.next('rcp-reset')).toEqual({ step: 'restart-agent', delayMs: 0, attempt: 1 });
    expect(ladder.next('rcp-reset')).toEqual({ step: 'relocate', delayMs: 100, attempt: 2 });
    expect(ladder.next('probe-failed')).toEqual({ step: 'reset-radio', delayMs: 400, attempt: 3 });
    expect(ladder.next('probe-failed')).toEqual({ step: 'reset-radio', delayMs: 400, attempt: 4 });
    expect(ladder.next('probe-failed').step).toBe('give-up');
    ladder.recovered();
    expect(ladder.next('killed')).toEqual({ step: 'restart-agent', delayMs: 0, attempt: 1 });
  });
});

describe('dataset from UCI, applied the safe way', () => {
  let server: Server | undefined;
  afterEach(() => { server?.close(); server = undefined; });

  async function agent(casing: 'pascal' | 'camel'): Promise<{ node: StandInNode; rest: OtbrRest }> {
    const node = new StandInNode(casing, 'OPENTHREAD/test', undefined, {});
    const port = await freePort();
    server = await startRest(node, '127.0.0.1', port);
    const rest = new OtbrRest({ port });
    await rest.detectCasing();
    return { node, rest };
  }

  const uci = { networkName: 'smartgrid', panId: 0x1234, extPanId: 'dead00beef00cafe', channel: 15, networkKey: '00112233445566778899aabbccddeeff' };

  it('writes the active dataset while disabled, then nothing when it already matches', async () => {
    const { rest } = await agent('pascal');
    expect(await applyDataset(rest, uci, 1000)).toEqual({ outcome: 'active', changed: ['NetworkName', 'PanId', 'ExtPanId', 'Channel', 'NetworkKey'] });
    expect(await applyDataset(rest, uci, 1000)).toEqual({ outcome: 'unchanged', changed: [] });
  });

  it('uses a pending dataset with a delay while Thread is up (the active one answers 409 then)', async () => {
    const { node, rest } = await agent('pascal');
    await applyDataset(rest, uci, 1000);
    node.enable();
    const result = await applyDataset(rest, { ...uci, channel: 20 }, 60_000);
    expect(result).toEqual({ outcome: 'pending', changed: ['Channel'] });
    expect(node.pending?.dataset.Channel).toBe(20);
    expect(node.pending?.delayMs).toBe(60_000);
    expect(node.active?.Channel).toBe(15);
  });

  it('detects camelCase keys and writes them; a body in the wrong casing is caught on read-back', async () => {
    const { rest } = await agent('camel');
    expect(rest.casing).toBe('camel');
    expect((await applyDataset(rest, uci, 1000)).outcome).toBe('active');
    rest.casing = 'pascal';
    await expect(applyDataset(rest, { ...uci, networkName: 'other' }, 1000)).rejects.toThrow(/accepted the active dataset but reads back other NetworkName \(key casing pascal not understood\?\)/);
  });

  it('names the differing options, secrets included by name only', () => {
    expect(datasetDifferences({ NetworkName: 'smartgrid', PanId: 4660, ExtPanId: 'DEAD00BEEF00CAFE', Channel: 15, NetworkKey: 'FF'.repeat(16) }, uci)).toEqual(['NetworkKey']);
  });
});
