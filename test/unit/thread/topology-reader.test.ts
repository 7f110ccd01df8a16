// The topology reader's `source`: why the topology is missing or old, from the radio state and from
// how each interface failed (the failures replayed from the captures: REST 500 while not attached,
// ot-ctl's exit 1 without an agent and its `Error N`); the last good result kept with its time; the
// on-demand read bounded; the `topology` event. Time is faked, nothing waits on the wall clock.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandResult, CommandRunner } from '../../../src/lte/command.js';
import { OtCtl } from '../../../src/thread/otbr/ot-ctl.js';
import { RestError } from '../../../src/thread/otbr/rest-client.js';
import { TopologyReader, type TopologyRadio, type TopologyReaderDeps } from '../../../src/thread/otbr/topology-reader.js';
import { testLogger } from '../../helpers/ubus.js';
import { brOutputs, capturedDiagnostics, otCtl } from './otbr-captures.js';

const DIAGNOSTICS = JSON.parse(capturedDiagnostics().response.body!) as unknown;
const TABLE_OUTPUT = Object.fromEntries(['router table', 'child table', 'neighbor table'].map((t) => [t, brOutputs(t)[0]!.stdout!]));
const AGENT_GONE = otCtl.session1.find((e) => e.exit_code === 1)!;

/** ot-ctl as captured: the tables while attached, or what it printed with no agent running. */
class CapturedOtCtl implements CommandRunner {
  agentGone = false;
  errorOutput: string | undefined;
  async run(_command: string, args: string[]): Promise<CommandResult> {
    if (this.agentGone) return { code: AGENT_GONE.exit_code!, stdout: AGENT_GONE.stdout!, stderr: AGENT_GONE.stderr!, timedOut: false };
    return { code: 0, stdout: this.errorOutput ?? TABLE_OUTPUT[args.slice(2).join(' ')]!, stderr: '', timedOut: false };
  }
}

interface Bed { reader: TopologyReader; radio: TopologyRadio; cli: CapturedOtCtl; events: Record<string, unknown>[]; diagnostics: { next: () => Promise<unknown> } }

function bed(overrides: Partial<TopologyReaderDeps> = {}): Bed {
  const radio: TopologyRadio = { enabled: true, agentRunning: true, role: 'leader' };
  const cli = new CapturedOtCtl();
  const events: Record<string, unknown>[] = [];
  const diagnostics = { next: async (): Promise<unknown> => DIAGNOSTICS };
  const reader = new TopologyReader({
    diagnostics: () => diagnostics.next(), otCtl: new OtCtl({ runner: cli, binary: '/usr/sbin/ot-ctl', threadInterface: 'wpan0' }),
    radio: () => radio, nodeViews: () => [], intervalMs: 60_000, log: testLogger(), emit: (_what, data) => events.push(data), ...overrides,
  });
  return { reader, radio, cli, events, diagnostics };
}

afterEach(() => { vi.useRealTimers(); });

describe('topology source', () => {
  it('is ok with the 4 nodes after a read, and says when it was read', async () => {
    const { reader, events } = bed({ now: () => 1_700_000_000_500 });
    expect(reader.view().source).toBe('not-read-yet');
    await reader.refresh();
    const reply = reader.view();
    expect(reply).toMatchObject({ source: 'ok', updated_at: 1_700_000_000 });
    expect(reply.source_detail).toBeUndefined();
    expect([reply.routers.length, reply.children.length, reply.neighbours.length]).toEqual([3, 1, 3]);
    expect(reader.childCount()).toBe(1);
    expect(events).toEqual([{ source: 'ok', routers: 3, children: 1, neighbours: 3, updated_at: 1_700_000_000 }]);
  });

  it.each<[string, Partial<TopologyRadio>, string]>([
    ['disabled', { enabled: false }, 'smartgrid.thread is disabled'],
    ['agent-down', { agentRunning: false }, 'otbr-agent is not running'],
    ['detached', { role: 'detached' }, 'the border router is detached, not attached to a Thread network'],
  ])('is %s from the radio state alone, and the last good result stays with its time', async (source, radio, detail) => {
    const b = bed();
    await b.reader.refresh();
    Object.assign(b.radio, radio);
    expect(b.reader.view()).toMatchObject({ source, source_detail: detail, updated_at: expect.any(Number) });
    expect(b.reader.view().routers).toHaveLength(3);
    expect(b.reader.childCount()).toBeUndefined();
  });

  it('is detached when /diagnostics answers 500 (as the agent does while not attached)', async () => {
    const b = bed();
    b.diagnostics.next = () => Promise.reject(new RestError('otbr-agent REST GET /diagnostics: HTTP 500', 500));
    await b.reader.refresh();
    expect(b.reader.view()).toMatchObject({ source: 'detached', source_detail: expect.stringContaining('500 while not attached'), routers: [] });
  });

  it('is timeout when /diagnostics does not answer in time, agent-down when nothing listens', async () => {
    const b = bed();
    await b.reader.refresh();
    b.diagnostics.next = () => Promise.reject(new RestError('otbr-agent REST GET /diagnostics: no answer within 5000 ms', undefined, 'timeout'));
    await b.reader.refresh();
    expect(b.reader.view()).toMatchObject({ source: 'timeout', source_detail: expect.stringContaining('no answer within 5000 ms') });
    expect(b.reader.view().routers).toHaveLength(3);
    b.diagnostics.next = () => Promise.reject(new RestError('otbr-agent REST GET /diagnostics: connect ECONNREFUSED 127.0.0.1:8081'));
    await b.reader.refresh();
    expect(b.reader.view().source).toBe('agent-down');
    expect(b.events.map((e) => e.source)).toEqual(['ok', 'timeout', 'agent-down']);
  });

  it("is agent-down when ot-ctl cannot connect (exit 1, as captured), error for ot-ctl's Error N", async () => {
    const b = bed();
    b.cli.agentGone = true;
    await b.reader.refresh();
    expect(b.reader.view()).toMatchObject({ source: 'agent-down', source_detail: 'ot-ctl cannot reach otbr-agent (connect session failed: Connection refused)' });
    b.cli.agentGone = false;
    b.cli.errorOutput = otCtl.session2.find((e) => e.command === 'bogus')!.stdout!;
    await b.reader.refresh();
    expect(b.reader.view()).toMatchObject({ source: 'error', source_detail: 'ot-ctl router table: Error 35: InvalidCommand' });
    b.cli.errorOutput = 'Error 16: Detached\r\n';
    await b.reader.refresh();
    expect(b.reader.view().source).toBe('detached');
  });

  it('is error when a table cannot be parsed, naming what is wrong', async () => {
    const b = bed();
    b.cli.errorOutput = '| ID | RLOC16 |\r\n+----+\r\n| 1 | zz |\r\n\r\nDone\r\n';
    await b.reader.refresh();
    expect(b.reader.view()).toMatchObject({ source: 'error', source_detail: expect.stringContaining('RLOC16 "zz"') });
  });
});

describe('topology reads', () => {
  it('on demand: answers with the last result and source timeout when the read takes longer than the bound', async () => {
    vi.useFakeTimers();
    const b = bed({ onDemandTimeoutMs: 5000 });
    await b.reader.refresh();
    let answer: (value: unknown) => void = () => undefined;
    b.diagnostics.next = () => new Promise((resolve) => { answer = resolve; });
    const pending = b.reader.reply(true);
    await vi.advanceTimersByTimeAsync(5000);
    const reply = await pending;
    expect(reply).toMatchObject({ source: 'timeout', source_detail: 'the topology read asked for did not finish within 5000 ms; the last result is shown' });
    expect(reply.routers).toHaveLength(3);
    answer(DIAGNOSTICS);
    await b.reader.refresh();
    expect(b.reader.view().source).toBe('ok');
  });

  it('on demand: a read that finishes in time is answered at once, concurrent callers share one read', async () => {
    const b = bed();
    let reads = 0;
    b.diagnostics.next = async () => { reads++; return DIAGNOSTICS; };
    const [first, second] = await Promise.all([b.reader.reply(true), b.reader.reply(true)]);
    expect([first.source, second.source, reads]).toEqual(['ok', 'ok', 1]);
  });

  it('in the background: at once when the border router attaches (also again), then every interval', async () => {
    vi.useFakeTimers();
    let now = 0;
    const b = bed({ intervalMs: 60_000, watchMs: 1000, now: () => now });
    let reads = 0;
    b.diagnostics.next = async () => { reads++; return DIAGNOSTICS; };
    b.radio.role = 'detached';
    b.reader.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(reads).toBe(0);
    b.radio.role = 'leader';
    now = 3000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads).toBe(1);
    now = 62_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads).toBe(1);
    now = 63_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads).toBe(2);
    b.radio.role = 'detached';
    await vi.advanceTimersByTimeAsync(1000);
    b.radio.role = 'leader';
    now = 65_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads).toBe(3);
    await b.reader.stop();
  });
});
