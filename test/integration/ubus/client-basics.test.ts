import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UbusError } from '../../../src/lib/ubus/types.js';
import { startTestUbus, type TestUbus } from '../../helpers/ubus.js';

describe('UbusClient against the stand-in (smoke)', () => {
  let bus: TestUbus;
  beforeAll(async () => {
    bus = await startTestUbus();
  });
  afterAll(async () => {
    await bus?.stop();
  });

  it('publishes and calls', async () => {
    const publisher = await bus.newClient();
    await publisher.publish('test.smoke', { echo: { signature: { str: 'string' }, handler: (args) => ({ got: args }) } });
    expect(await bus.client.call('test.smoke', 'echo', { str: 'hi' })).toEqual({ got: { str: 'hi' } });
    await expect(bus.client.call('test.smoke', 'nope')).rejects.toMatchObject({ status: 'METHOD_NOT_FOUND' });
    await expect(bus.client.call('no.such', 'x')).rejects.toBeInstanceOf(UbusError);
  });
});
