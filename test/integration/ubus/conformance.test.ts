/**
 * UbusClient conformance suite. Runs against the ubusd stand-in by default, and unchanged against a real
 * ubusd when SMARTGRID_UBUS_SOCKET points to one (then no stand-in is started and the restart test is skipped).
 */
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobmsgTyped } from '../../../src/lib/ubus/blobmsg-js.js';
import { UBUS_STATUS, UbusError, type UbusArgs } from '../../../src/lib/ubus/types.js';
import { startTestUbus, waitUntil, type TestUbus } from '../../helpers/ubus.js';
import { itUnless } from '../../helpers/skip.js';

const external = process.env.SMARTGRID_UBUS_SOCKET !== undefined;
const slowRepliesSent: number[] = [];
const suffix = `${process.pid}.${Date.now().toString(36)}`;
const PATH = `smartgrid.conftest.${suffix}`;

describe(`ubus conformance (${external ? `real ubusd at ${process.env.SMARTGRID_UBUS_SOCKET}` : 'stand-in'})`, () => {
  let bus: TestUbus;
  const calls: { method: string; args: UbusArgs; user?: string }[] = [];

  beforeAll(async () => {
    bus = await startTestUbus({ allowExternal: true });
    const publisher = await bus.newClient();
    await publisher.publish(PATH, {
      echo: {
        signature: { str: 'string', flag: 'boolean', i32: 'int32', i64: 'int64', dbl: 'double', tbl: 'table', arr: 'array' },
        handler: (args, context) => {
          calls.push({ method: context.method, args, user: context.user });
          return { received: args, caller_user: context.user ?? null };
        },
      },
      types: {
        handler: () => ({
          str: 'hello',
          flag: true,
          i8: blobmsgTyped('int8', 127),
          i16: blobmsgTyped('int16', -2),
          i32: -123456,
          i64: 0x0102030405060708n,
          big: 9223372036854775807n,
          dbl: 3.14,
          one: blobmsgTyped('double', 1),
          tbl: { k: 'v', n: 1 },
          arr: [1, 'two', false, -0.5, {}],
          nul: null,
        }) as unknown as UbusArgs,
      },
      empty: { handler: () => undefined },
      invalid: { signature: { code: 'int32' }, handler: () => { throw new UbusError(UBUS_STATUS.INVALID_ARGUMENT, 'bad code'); } },
      fail_with_data: { handler: () => { throw new UbusError(UBUS_STATUS.UNKNOWN_ERROR, 'partial', { error: 'partial data before failure' }); } },
      crash: { handler: () => { throw new TypeError('unexpected'); } },
      slow: { signature: { ms: 'int32' }, handler: async (args) => { await new Promise((resolve) => setTimeout(resolve, Number(args.ms))); slowRepliesSent.push(Number(args.ms)); return { late: true }; } },
    });
  });

  afterAll(async () => {
    await bus?.stop();
  });

  it('receives HELLO (type 0, seq 0, peer = client id, empty blob) on connect', async () => {
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      const socket = createConnection(bus.socketPath);
      socket.once('data', (chunk) => { socket.destroy(); resolve(chunk); });
      socket.once('error', reject);
    });
    expect(bytes.length).toBe(12);
    expect(bytes.subarray(0, 4).toString('hex')).toBe('00000000');
    expect(bytes.readUInt32BE(4)).toBeGreaterThanOrEqual(1024);
    expect(bytes.subarray(8).toString('hex')).toBe('00000004');
  });

  it('lists the published object with its signature (exact, prefix pattern, all)', async () => {
    const [info] = await bus.client.lookup(PATH);
    expect(info).toMatchObject({ path: PATH });
    expect(info!.signature.echo).toEqual({ str: 'string', flag: 'boolean', i32: 'int32', i64: 'int64', dbl: 'double', tbl: 'table', arr: 'array' });
    expect(info!.signature.invalid).toEqual({ code: 'int32' });
    expect((await bus.client.lookup('smartgrid.conftest.*')).map((item) => item.path)).toContain(PATH);
    expect((await bus.client.lookup()).map((item) => item.path)).toContain(PATH);
    expect(await bus.client.lookup(`${PATH}.nothing`)).toEqual([]);
  });

  it('calls with every argument type and gets them back', async () => {
    const args = {
      str: 'hello', flag: true, off: false, i32: -123456, i32max: 2147483647, i64: 5000000000, i64neg: -5000000000,
      dbl: 3.14, tbl: { k: 'v', n: 1, inner: { deep: [1] } }, arr: [1, 'two', true, 2.5, { x: 1 }, [null]],
      empty_tbl: {}, empty_arr: [], unicode: 'Grüße ⚡ 🔌', esc: 'quote" backslash\\ tab\t nl\n', empty_str: '', nul: null,
      long: 'L'.repeat(300), big: 9223372036854775807n, i8: blobmsgTyped('int8', 127), i16: blobmsgTyped('int16', -2),
    };
    const reply = await bus.client.call(PATH, 'echo', args);
    expect(reply.received).toEqual({ ...args, big: '9223372036854775807', i8: true, i16: -2 });
    expect(reply.caller_user).toEqual(expect.any(String));
  });

  it('decodes a reply holding every blobmsg type, keeping the wire types', async () => {
    expect(await bus.client.call(PATH, 'types')).toEqual({
      str: 'hello', flag: true, i8: true, i16: -2, i32: -123456, i64: '72623859790382856', big: '9223372036854775807',
      dbl: 3.14, one: 1, tbl: { k: 'v', n: 1 }, arr: [1, 'two', false, -0.5, {}], nul: null,
    });
    const raw = await bus.client.callFields(PATH, 'types', []);
    expect(raw.status).toBe(0);
    expect(raw.data[0]!.map((field) => `${field.name}:${field.type}`)).toEqual([
      'str:string', 'flag:int8', 'i8:int8', 'i16:int16', 'i32:int32', 'i64:int64', 'big:int64', 'dbl:double', 'one:double', 'tbl:table', 'arr:array', 'nul:unspec',
    ]);
  });

  it('returns {} when the method sends no data', async () => {
    expect(await bus.client.call(PATH, 'empty')).toEqual({});
  });

  it('NOT_FOUND for an unknown object', async () => {
    await expect(bus.client.call(`${PATH}.missing`, 'x')).rejects.toMatchObject({ status: 'NOT_FOUND', code: 4 });
  });

  it('METHOD_NOT_FOUND for an unknown method, answered by the publisher', async () => {
    const error = await bus.client.call(PATH, 'nosuchmethod').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UbusError);
    expect(error).toMatchObject({ status: 'METHOD_NOT_FOUND', code: 3 });
    expect((error as Error).message).toContain(`ubus call ${PATH} nosuchmethod: METHOD_NOT_FOUND`);
  });

  it('INVALID_ARGUMENT when the handler throws UbusError(2)', async () => {
    await expect(bus.client.call(PATH, 'invalid', { code: 'x' })).rejects.toMatchObject({ status: 'INVALID_ARGUMENT' });
  });

  it('DATA then STATUS 9: the error carries the data', async () => {
    const error = (await bus.client.call(PATH, 'fail_with_data').catch((caught: unknown) => caught)) as UbusError;
    expect(error.status).toBe('UNKNOWN_ERROR');
    expect(error.data).toEqual({ error: 'partial data before failure' });
  });

  it('UNKNOWN_ERROR when a handler throws something unexpected, and the publisher keeps serving', async () => {
    await expect(bus.client.call(PATH, 'crash')).rejects.toMatchObject({ status: 'UNKNOWN_ERROR' });
    expect(await bus.client.call(PATH, 'empty')).toEqual({});
  });

  it('TIMEOUT when the reply is late; the late reply is dropped and the client keeps working', async () => {
    const sentBefore = slowRepliesSent.length;
    await expect(bus.client.call(PATH, 'slow', { ms: 600 }, { timeoutMs: 150 })).rejects.toMatchObject({ status: 'TIMEOUT', code: 7 });
    expect(slowRepliesSent.length, 'the timeout must come before the reply, not with it').toBe(sentBefore);
    await waitUntil(() => slowRepliesSent.length === sentBefore + 1, 10_000, 'the late reply sent');
    expect(await bus.client.call(PATH, 'slow', { ms: 1 })).toEqual({ late: true });
  });

  it('publisher sees the caller as USER', async () => {
    calls.length = 0;
    const other = await bus.newClient();
    await other.call(PATH, 'echo', { str: 'from another client' });
    expect(calls).toEqual([{ method: 'echo', args: { str: 'from another client' }, user: expect.any(String) }]);
  });

  it('delivers events to matching patterns only, never back to the sender', async () => {
    const listener = await bus.newClient();
    const prefixed: [string, UbusArgs][] = [];
    const all: string[] = [];
    const exact: string[] = [];
    const prefix = `conftest${suffix.replace(/\W/g, '')}`;
    await listener.listen(`${prefix}.*`, (event, data) => prefixed.push([event, data]));
    await listener.listen('*', (event) => { if (event.startsWith(prefix)) all.push(event); });
    await listener.listen(`${prefix}.exact`, (event) => exact.push(event));
    const sender = await bus.newClient();
    const ownEvents: string[] = [];
    await sender.listen('*', (event) => { if (event.startsWith(prefix)) ownEvents.push(event); });
    await sender.send(`${prefix}.hello`, { a: 1, b: 'two' });
    await sender.send(`${prefix}.exact`);
    await sender.send(`other${prefix}`, { ignored: true });
    await waitUntil(() => all.length === 2 && exact.length === 1 && prefixed.length === 2, 3000, 'events');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(prefixed).toEqual([[`${prefix}.hello`, { a: 1, b: 'two' }], [`${prefix}.exact`, {}]]);
    expect(exact).toEqual([`${prefix}.exact`]);
    expect(all).toEqual([`${prefix}.hello`, `${prefix}.exact`]);
    expect(ownEvents).toEqual([]);
  });

  it('subscribe/notify: the subscriber receives notifications, the publisher sees subscribers come and go', async () => {
    const publisherClient = await bus.newClient();
    const path = `${PATH}.notifier`;
    const published = await publisherClient.publish(path, { status: { handler: () => ({ ok: true }) } });
    expect(published.hasSubscribers).toBe(false);
    await published.notify('conf.nobody', { unheard: true });
    const received: [string, UbusArgs][] = [];
    const subscriber = await bus.newClient();
    const subscription = await subscriber.subscribe(path, (type, data) => received.push([type, data]));
    await waitUntil(() => published.hasSubscribers, 3000, 'ACTIVE notification');
    await published.notify('conf.alarm', { what: 'temperature', value: 42 });
    await waitUntil(() => received.length === 1, 3000, 'notification');
    expect(received).toEqual([['conf.alarm', { what: 'temperature', value: 42 }]]);
    await subscription.unsubscribe();
    await waitUntil(() => !published.hasSubscribers, 3000, 'inactive notification');
    await expect(subscriber.subscribe(`${path}.missing`, () => undefined)).rejects.toMatchObject({ status: 'NOT_FOUND' });
  });

  it('removes an object: later lookups and calls get NOT_FOUND; a subscriber re-subscribes when it returns', async () => {
    const owner = await bus.newClient();
    const path = `${PATH}.removable`;
    const methods = { ping: { handler: () => ({ pong: true }) } };
    const object = await owner.publish(path, methods);
    const received: string[] = [];
    const subscriber = await bus.newClient();
    await subscriber.subscribe(path, (type) => received.push(type));
    expect(await bus.client.call(path, 'ping')).toEqual({ pong: true });
    await object.remove();
    expect(await bus.client.lookup(path)).toEqual([]);
    await expect(bus.client.call(path, 'ping')).rejects.toMatchObject({ status: 'NOT_FOUND' });
    const again = await owner.publish(path, methods);
    await waitUntil(() => again.hasSubscribers, 5000, 're-subscription');
    await again.notify('back', {});
    await waitUntil(() => received.includes('back'), 3000, 'notification after re-subscribe');
  });

  itUnless(external ? 'runs against an external ubusd (SMARTGRID_UBUS_SOCKET), which the test cannot restart' : null, 'reconnects after ubusd restarts and re-registers objects, listeners and subscriptions', async () => {
    const service = await bus.newClient();
    service.start();
    const path = `${PATH}.survivor`;
    const object = await service.publish(path, { status: { handler: () => ({ state: 'running' }) } });
    const events: string[] = [];
    await service.listen('survivor.*', (event) => events.push(event));
    const watcher = await bus.newClient();
    watcher.start();
    const notes: string[] = [];
    await watcher.subscribe(path, (type) => notes.push(type));
    let disconnects = 0;
    service.on('disconnect', () => disconnects++);

    await bus.restartUbusd();
    await waitUntil(() => disconnects === 1, 3000, 'disconnect event');
    await waitUntil(() => service.connected && object.id !== undefined, 5000, 'service reconnect');
    await waitUntil(() => object.hasSubscribers, 5000, 'watcher re-subscribed');

    const caller = await bus.newClient();
    expect(await caller.call(path, 'status')).toEqual({ state: 'running' });
    await caller.send('survivor.event', {});
    await waitUntil(() => events.includes('survivor.event'), 3000, 'event after restart');
    await object.notify('after-restart', {});
    await waitUntil(() => notes.includes('after-restart'), 3000, 'notification after restart');
  });

  it('rejects quickly with CONNECTION_FAILED while disconnected, and publish() registers on connect', async () => {
    const client = await bus.newClient();
    await client.close();
    await expect(client.call(PATH, 'empty')).rejects.toMatchObject({ status: 'CONNECTION_FAILED' });
    const { UbusClient } = await import('../../../src/lib/ubus/client.js');
    const { testLogger } = await import('../../helpers/ubus.js');
    const late = new UbusClient({ socketPath: bus.socketPath, log: testLogger(), reconnectDelayMs: 20 });
    const handle = await late.publish(`${PATH}.late`, { status: { handler: () => ({ late: true }) } });
    expect(handle.id).toBeUndefined();
    await expect(late.lookup()).rejects.toMatchObject({ status: 'CONNECTION_FAILED' });
    late.start();
    await waitUntil(() => handle.id !== undefined, 3000, 'late registration');
    const caller = await bus.newClient();
    expect(await caller.call(`${PATH}.late`, 'status')).toEqual({ late: true });
    await late.close();
    void client;
    const nowhere = new UbusClient({ socketPath: `${bus.socketPath}.absent`, log: testLogger() });
    await expect(nowhere.connect()).rejects.toMatchObject({ status: 'CONNECTION_FAILED' });
  });
});
