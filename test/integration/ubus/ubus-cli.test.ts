/** The `ubus` CLI stand-in against cli-outputs.json: same stdout, stderr and exit code for the same argv. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UbusError, type PublishedObject, type UbusArgs } from '../../../src/lib/ubus/types.js';
import { runUbusCli } from '../../stand-ins/ubus-cli/cli.js';
import { startTestUbus, type TestUbus } from '../../helpers/ubus.js';
import { loadJson, type CliRecord } from '../../unit/ubus/captures.js';

const records = loadJson<CliRecord[]>('cli-outputs.json');

function blobmsgTypeOf(value: unknown): string {
  if (value === null) return 'unspec';
  if (typeof value === 'boolean') return 'int8';
  if (typeof value === 'number') return Number.isInteger(value) ? (value >= -0x80000000 && value <= 0x7fffffff ? 'int32' : 'int64') : 'double';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'table' : 'string';
}

describe('ubus CLI stand-in', () => {
  let bus: TestUbus;
  let confTest: PublishedObject;

  const run = async (argv: string[], signal?: AbortSignal): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = '';
    let stderr = '';
    const args = argv.slice(1).map((arg, index, all) => (all[index - 1] === '-s' ? bus.socketPath : arg));
    const code = await runUbusCli(args, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, signal });
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    bus = await startTestUbus();
    const publisher = await bus.newClient();
    confTest = await publisher.publish('conf.test', {
      echo: {
        signature: { str: 'string', flag: 'boolean', i8: 'int8', i16: 'int16', i32: 'int32', i64: 'int64', dbl: 'double', tbl: 'table', arr: 'array' },
        handler: (args: UbusArgs, context) => {
          if (args.i32 !== undefined && typeof args.i32 !== 'number') throw new UbusError(2, 'i32');
          return { received: args, types: Object.fromEntries(Object.entries(args).map(([key, value]) => [key, blobmsgTypeOf(value)])), caller_user: context.user ?? '' };
        },
      },
      types: { handler: () => undefined },
      fail: { signature: { code: 'int32' }, handler: (args) => { if (args.code) throw new UbusError(Number(args.code), 'fail'); } },
      fail_with_data: { handler: () => { throw new UbusError(9, 'x', { error: 'partial data before failure' }); } },
      slow: { signature: { seconds: 'int32' }, handler: async (args) => { await new Promise((resolve) => setTimeout(resolve, Number(args.seconds) * 1000)); return { late: 'reply after deferral' }; } },
      notify: { signature: { type: 'string', wait_reply: 'boolean' }, handler: () => undefined },
      remove: { handler: () => undefined },
    });
  });

  afterAll(async () => {
    await bus?.stop();
  });

  const scenarios = ['invoke_publisher', 'call_all_types_cli', 'call_empty_reply', 'err_not_found_lookup', 'err_method_not_found_publisher',
    'err_invalid_argument_publisher', 'err_status_codes', 'err_data_then_status', 'err_parse_error_cli', 'err_timeout'];
  for (const record of records.filter((item) => scenarios.includes(item.scenario) && item.argv[0] === 'ubus')) {
    it(`${record.scenario}: ${record.argv.slice(3).join(' ').slice(0, 70)}`, async () => {
      expect(await run(record.argv)).toEqual({ code: record.exit_code, stdout: record.stdout, stderr: record.stderr });
    });
  }

  it('list_verbose_conf_test: -v list prints types as the real CLI (int16/int64/double are "(unknown)")', async () => {
    const record = records.find((item) => item.scenario === 'list_verbose_conf_test')!;
    const expected = record.stdout.replace('@82cac76b', `@${confTest.id!.toString(16).padStart(8, '0')}`);
    expect(await run(record.argv)).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it('events_listen_send: listen prints matching events only; send exits 0', async () => {
    const listenRecord = records.find((item) => item.scenario === 'events_listen_send' && item.argv.includes('listen'))!;
    const controller = new AbortController();
    const listening = run(listenRecord.argv, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const record of records.filter((item) => item.scenario === 'events_listen_send' && item.argv.includes('send'))) {
      expect(await run(record.argv)).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await listening).toEqual({ code: 0, stdout: listenRecord.stdout, stderr: '' });
  });

  it('refuses too few or too many arguments with the usage and -2 (254), as cli.c does', async () => {
    const usage = records.find((item) => item.scenario === 'err_invalid_argument_publisher')!.stderr.split('\n').slice(1).join('\n');
    for (const argv of [['list', 'a', 'b'], ['call', 'conf.test'], ['call', 'conf.test', 'echo', '{}', 'extra'], ['send'], ['send', 'a', '{}', 'b'], ['wait_for'], ['frobnicate']]) {
      expect(await run(['ubus', '-s', 'cli.sock', ...argv]), argv.join(' ')).toEqual({ code: 254, stdout: '', stderr: usage });
    }
  });

  it('wait_for returns once every object is registered, and times out with status 7 otherwise', async () => {
    expect(await run(['ubus', '-s', 'cli.sock', 'wait_for', 'conf.test'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const publisher = await bus.newClient();
    const waiting = run(['ubus', '-s', 'cli.sock', 'wait_for', 'conf.test', 'late.a', 'late.b']);
    let finished = false;
    void waiting.then(() => { finished = true; });
    const a = await publisher.publish('late.a', {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(finished).toBe(false);
    const b = await publisher.publish('late.b', {});
    expect(await waiting).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await run(['ubus', '-s', 'cli.sock', '-t', '1', 'wait_for', 'never.there'])).toEqual({ code: 7, stdout: '', stderr: 'Command failed: Request timed out\n' });
    await Promise.all([a.remove(), b.remove()]);
  });

  it('remove_object: list of a removed object exits 4 with "Not found"', async () => {
    const record = records.find((item) => item.scenario === 'remove_object' && item.argv.includes('list'))!;
    await confTest.remove();
    expect(await run(record.argv)).toEqual({ code: record.exit_code, stdout: record.stdout, stderr: record.stderr });
  });
});
