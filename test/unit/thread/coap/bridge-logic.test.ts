import type { IncomingMessage, OutgoingMessage } from 'coap';
import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../../../../src/lib/log.js';
import { compileTopicPattern } from '../../../../src/telemetry/ingest/topic.js';
import { emptyCounters } from '../../../../src/thread/coap/counters.js';
import { RecentExchanges } from '../../../../src/thread/coap/exchanges.js';
import { NodeListError, NodeMap, parseNodeList } from '../../../../src/thread/coap/node-map.js';
import { NodeRateLimiter } from '../../../../src/thread/coap/rate-limit.js';
import { UplinkHandler } from '../../../../src/thread/coap/uplink.js';

const DEFAULTS = { region: 'eu', dcu: 'thread' };

interface FakeResponse { code: string; payload?: string; options: Record<string, unknown>; ended: Promise<void> }

function fakeRequest(address: string, messageId: number, body: object | string, token: Buffer = Buffer.from([messageId & 0xff, 0x0a])): IncomingMessage {
  const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { url: '/t', method: 'POST', rsinfo: { address, port: 5683, family: 'IPv6' }, payload, _packet: { messageId, token, options: [] } } as unknown as IncomingMessage;
}

function fakeResponse(): { response: OutgoingMessage; result: FakeResponse } {
  let done!: () => void;
  const result: FakeResponse = { code: '', options: {}, ended: new Promise((resolve) => { done = resolve; }) };
  const response = {
    code: '', on: () => response,
    setOption: (name: string, value: unknown) => { result.options[name] = value; },
    end: (payload?: string) => { result.code = response.code; result.payload = payload; done(); },
  };
  return { response: response as unknown as OutgoingMessage, result };
}

function harness(options: { learn?: boolean; configured?: string[]; publish?: (topic: string, payload: string) => Promise<void>; rate?: number; burst?: number } = {}) {
  let clock = 1_765_000_000_000;
  const published: Array<{ topic: string; payload: Record<string, unknown> }> = [];
  const seen: string[] = [];
  const sink = memorySink();
  const nodes = new NodeMap({ configured: parseNodeList(options.configured ?? [], DEFAULTS), learn: options.learn ?? true, limit: 100, defaults: DEFAULTS });
  const counters = emptyCounters();
  const uplink = new UplinkHandler({
    resource: 't', maxPayloadBytes: 1024, topic: compileTopicPattern('telemetry/{region}/{dcu}/{meter}'), nodes, counters,
    exchanges: new RecentExchanges(100), limiter: new NodeRateLimiter({ rate: options.rate ?? 1, burst: options.burst ?? 3, maxNodes: 100, now: () => clock }),
    publish: options.publish ?? (async (topic, payload) => { published.push({ topic, payload: JSON.parse(payload) }); }),
    onSeen: (node) => seen.push(node.meter), log: createLogger({ name: 't', sink }), now: () => clock,
  });
  const post = async (address: string, messageId: number, body: object | string, token?: Buffer) => {
    const { response, result } = fakeResponse();
    uplink.handle(fakeRequest(address, messageId, body, token), response, { address: 'fd11:22::1', port: 5683 });
    return { result };
  };
  return { uplink, nodes, counters, published, seen, logs: sink.lines, post, advance: (ms: number) => { clock += ms; } };
}

describe('node map (UCI list and learning)', () => {
  it('parses the UCI entries and names the wrong one', () => {
    const [node] = parseNodeList(['meter-1 18B4300000000002 fd11:22::2 north dcu-3'], DEFAULTS);
    expect(node).toMatchObject({ meter: 'meter-1', eui64: '18b4300000000002', address: 'fd11:22::2', region: 'north', dcu: 'dcu-3', source: 'uci' });
    expect(parseNodeList(['meter-2 - -'], DEFAULTS)[0]).toMatchObject({ meter: 'meter-2', region: 'eu', dcu: 'thread' });
    expect(() => parseNodeList(['meter-1 nothex fd11::2'], DEFAULTS)).toThrow("smartgrid.thread.nodes: 'meter-1 nothex fd11::2': EUI-64 'nothex' is not 16 hexadecimal digits (or - for none)");
    expect(() => parseNodeList(['meter-1 - 10.0.0.1'], DEFAULTS)).toThrow(/is not an IPv6 address/);
    expect(() => parseNodeList(['m - -', 'm - -'], DEFAULTS)).toThrow(NodeListError);
    expect(() => parseNodeList(['m - - eu'], DEFAULTS)).toThrow(/is not '<meter> <eui64\|-> <address\|-> \[<region> <dcu>\]'/);
  });

  it('learns a node from its first reading and follows its address; a UCI entry pins the EUI-64', () => {
    const map = new NodeMap({ configured: parseNodeList(['meter-1 18b4300000000002 -'], DEFAULTS), learn: true, limit: 1, defaults: DEFAULTS });
    expect(map.resolve({ address: 'fd11::2', meter: 'meter-1', eui64: '18b4300000000002' })).toMatchObject({ source: 'uci', address: 'fd11::2' });
    expect(map.resolve({ address: 'fd11::2' }).meter).toBe('meter-1');
    expect(() => map.resolve({ address: 'fd11::9', meter: 'meter-1', eui64: '18b4300000000009' })).toThrow(/meter meter-1 belongs to EUI-64 18b4300000000002, not 18b4300000000009/);
    expect(map.resolve({ address: 'fd11::3', meter: 'meter-5' })).toMatchObject({ source: 'learned', region: 'eu', dcu: 'thread' });
    expect(map.resolve({ address: 'fd11::4', eui64: '18b4300000000002' }).meter).toBe('meter-1');
    expect(map.byNodeAddress('fd11::4')?.meter).toBe('meter-1');
    expect(map.byNodeAddress('fd11::2')).toBeUndefined();
    expect(map.byMeterId('meter-1')?.address).toBe('fd11::4');
    // Two meters behind one node address: both keep it (commands reach either).
    map.resolve({ address: 'fd11::4', meter: 'meter-5' });
    expect([map.byMeterId('meter-1')?.address, map.byMeterId('meter-5')?.address]).toEqual(['fd11::4', 'fd11::4']);
    expect(() => map.resolve({ address: 'fd11::8', meter: 'meter-6' })).toThrow('node map full: 1 learned nodes (node_limit), meter meter-6 not taken');
    expect(() => map.resolve({ address: 'fd11::7' })).toThrow('unknown node: no meter id in the reading and no smartgrid.thread.nodes entry for fd11::7');
    expect(map.views(Date.now(), 60_000).map((view) => view.state)).toEqual(['configured', 'configured']);
  });

  it('with learn_nodes off takes only the listed meters', () => {
    const map = new NodeMap({ configured: parseNodeList(['meter-1 - -'], DEFAULTS), learn: false, limit: 10, defaults: DEFAULTS });
    expect(map.resolve({ address: 'fd11::2', meter: 'meter-1' }).meter).toBe('meter-1');
    expect(() => map.resolve({ address: 'fd11::3', meter: 'meter-2' })).toThrow('unknown node: meter meter-2 is not in smartgrid.thread.nodes (learn_nodes is off)');
  });
});

describe('uplink: readings from nodes', () => {
  it('publishes on the node topic and answers 2.04; the node is seen once', async () => {
    const h = harness();
    const { result } = await h.post('fd11::2', 1, { meter: 'meter-1', values: { v: 230.1 } });
    await result.ended;
    expect(result.code).toBe('2.04');
    expect(h.published).toEqual([{ topic: 'telemetry/eu/thread/meter-1', payload: { ts: 1_765_000_000_000, meter: 'meter-1', values: { v: 230.1 } } }]);
    await (await h.post('fd11::2', 2, { values: { v: 231 } })).result.ended;
    expect(h.published[1]!.payload.meter).toBe('meter-1');
    expect(h.seen).toEqual(['meter-1']);
    expect(h.counters).toMatchObject({ received: 2, forwarded: 2, rejected: 0 });
    expect(h.nodes.views(Date.now(), 1e12)[0]).toMatchObject({ meter: 'meter-1', address: 'fd11::2', readings: 2, state: 'active' });
  });

  it('drops a duplicate (same message id and token from the same node): in flight it gets the first answer, later the same answer again', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const published: string[] = [];
    const h = harness({ publish: async (topic) => { await gate; published.push(topic); } });
    const first = await h.post('fd11::2', 7, { meter: 'meter-1', values: { v: 1 } });
    const retransmission = await h.post('fd11::2', 7, { meter: 'meter-1', values: { v: 1 } });
    const otherNode = await h.post('fd11::3', 7, { meter: 'meter-2', values: { v: 1 } });
    expect(first.result.code).toBe('');
    release();
    await Promise.all([first.result.ended, retransmission.result.ended, otherNode.result.ended]);
    expect([first.result.code, retransmission.result.code, otherNode.result.code]).toEqual(['2.04', '2.04', '2.04']);
    const late = await h.post('fd11::2', 7, { meter: 'meter-1', values: { v: 1 } });
    await late.result.ended;
    expect(late.result.code).toBe('2.04');
    expect(published).toEqual(['telemetry/eu/thread/meter-1', 'telemetry/eu/thread/meter-2']);
    expect(h.counters.duplicates).toBe(2);
    expect(h.nodes.byMeterId('meter-1')?.duplicates).toBe(2);
  });

  it('a reading the broker did not take gets 5.03 and no success, and its retransmission is tried again', async () => {
    let up = false;
    const h = harness({ publish: async () => { if (!up) throw new Error('local broker not connected'); } });
    const { result } = await h.post('fd11::2', 9, { meter: 'meter-1', values: { v: 1 } });
    await result.ended;
    expect(result).toMatchObject({ code: '5.03', payload: 'reading not taken, try again: local broker not connected' });
    up = true;
    const again = await h.post('fd11::2', 9, { meter: 'meter-1', values: { v: 1 } });
    await again.result.ended;
    expect(again.result.code).toBe('2.04');
    expect(h.counters).toMatchObject({ forwarded: 1, rejected: 1, duplicates: 0 });
  });

  it('a flooding node gets 4.29 with Max-Age and a good node is still served; the log is rate-limited', async () => {
    const h = harness({ rate: 1, burst: 3 });
    const flood = [];
    for (let i = 0; i < 50; i++) flood.push((await h.post('fd11::66', 100 + i, { meter: 'flooder', values: { v: i } })).result);
    const good = await h.post('fd11::2', 1, { meter: 'meter-1', values: { v: 1 } });
    await Promise.all([...flood.map((r) => r.ended), good.result.ended]);
    expect(flood.filter((r) => r.code === '2.04')).toHaveLength(3);
    expect(flood.filter((r) => r.code === '4.29')).toHaveLength(47);
    expect(flood[49]!.options['Max-Age']).toBe(1);
    expect(good.result.code).toBe('2.04');
    expect(h.logs.filter((line) => line.includes('CoAP reading rejected'))).toHaveLength(1);
    h.advance(1000);
    const later = await h.post('fd11::66', 500, { meter: 'flooder', values: { v: 1 } });
    await later.result.ended;
    expect(later.result.code).toBe('2.04');
  });

  it('rejects bad input with its code and reason, counts it, publishes nothing', async () => {
    const h = harness({ learn: false, configured: ['meter-1 - fd11::2'] });
    const answers = [];
    answers.push((await h.post('fd11::2', 1, '{"values":')).result);
    answers.push((await h.post('fd11::5', 2, { meter: 'stranger', values: { v: 1 } })).result);
    answers.push((await h.post('fd11::2', 3, Buffer.from([1, 2, 3]).toString('latin1'))).result);
    await Promise.all(answers.map((a) => a.ended));
    expect(answers.map((a) => a.code)).toEqual(['4.00', '4.03', '4.00']);
    expect(answers[1]!.payload).toBe('unknown node: meter stranger is not in smartgrid.thread.nodes (learn_nodes is off)');
    expect(answers[2]!.payload).toMatch(/^binary frame of 3 bytes is shorter than the smallest valid frame/);
    expect(h.published).toEqual([]);
    expect(h.counters).toMatchObject({ received: 3, rejected: 3, forwarded: 0 });
    expect(h.nodes.byMeterId('meter-1')?.rejected).toBe(2);
  });
});
