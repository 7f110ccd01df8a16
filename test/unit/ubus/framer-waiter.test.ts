import { describe, expect, it } from 'vitest';
import { UbusFramer } from '../../../src/lib/ubus/framer.js';
import { Waiter } from '../../../src/lib/ubus/waiter.js';
import { UbusError, UBUS_STATUS } from '../../../src/lib/ubus/types.js';
import { loadScenario } from './captures.js';

function frames(chunks: Buffer[]): Promise<string[]> {
  const framer = new UbusFramer();
  const out: string[] = [];
  framer.on('data', (frame: Buffer) => out.push(frame.toString('hex')));
  return new Promise((resolve, reject) => {
    framer.on('error', reject);
    framer.on('end', () => resolve(out));
    for (const chunk of chunks) framer.write(chunk);
    framer.end();
    framer.resume();
  });
}

describe('UbusFramer', () => {
  const messages = loadScenario('invoke_publisher.json').filter((item) => item.conn === 'cli#8').map((item) => item.hex);
  const stream = Buffer.from(messages.join(''), 'hex');

  it('cuts a coalesced stream into the captured messages', async () => {
    expect(await frames([stream])).toEqual(messages);
  });

  it('survives reads of one byte and of odd sizes', async () => {
    expect(await frames([...stream].map((byte) => Buffer.from([byte])))).toEqual(messages);
    const odd: Buffer[] = [];
    for (let offset = 0; offset < stream.length; offset += 7) odd.push(stream.subarray(offset, offset + 7));
    expect(await frames(odd)).toEqual(messages);
  });

  it('fails on a length that cannot be a ubus message', async () => {
    await expect(frames([Buffer.from('0000000000000000 7fffffff'.replace(/ /g, ''), 'hex')])).rejects.toThrow(/out of range/);
  });
});

describe('Waiter', () => {
  it('resolves by key and times out with the given error', async () => {
    const waiter = new Waiter<number>();
    const ok = waiter.wait('1:5', { timeoutMs: 1000, timeoutError: () => new Error('late') });
    expect(waiter.resolve('1:5', 42)).toBe(true);
    expect(await ok).toBe(42);
    expect(waiter.resolve('1:5', 43)).toBe(false);
    let settled = false;
    const late = waiter.wait('2:5', { timeoutMs: 20, timeoutError: () => new UbusError(UBUS_STATUS.TIMEOUT, 'ubus call x y'), onSettle: () => { settled = true; } });
    await expect(late).rejects.toMatchObject({ status: 'TIMEOUT', message: 'ubus call x y: TIMEOUT (7)' });
    expect(settled).toBe(true);
    expect(waiter.size).toBe(0);
  });

  it('rejects everything on rejectAll', async () => {
    const waiter = new Waiter<number>();
    const pending = [waiter.wait('a', { timeoutMs: 0, timeoutError: () => new Error('x') }), waiter.wait('b', { timeoutMs: 0, timeoutError: () => new Error('x') })];
    waiter.rejectAll(new Error('closed'));
    for (const item of pending) await expect(item).rejects.toThrow('closed');
  });
});
