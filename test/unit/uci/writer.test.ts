import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UbusUciWriter, UciBatchWriter, batchScript } from '../../../src/lib/uci/writer.js';
import { parseUciPackage } from '../../../src/lib/uci/parser.js';
import { UBUS_STATUS, UbusError } from '../../../src/lib/ubus/types.js';
import type { Ubus, UbusArgs } from '../../../src/lib/ubus/types.js';
// @ts-expect-error plain ESM script without type declarations
import { buildUciStandIn } from '../../stand-ins/uci/build.mjs';

const STAND_IN = join(__dirname, '../../stand-ins/uci/uci');
let root: string;

beforeAll(async () => {
  await (buildUciStandIn as () => Promise<string>)();
  root = mkdtempSync(join(tmpdir(), 'uci-writer-'));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('batchScript', () => {
  it('quotes values so uci batch reads them back exactly, and refuses bad names', () => {
    expect(batchScript('smartgrid', [
      { op: 'section', section: 'thread', type: 'thread' },
      { op: 'set', section: 'thread', option: 'network_name', value: "it's \"x\" \\ y" },
      { op: 'set', section: 'thread', option: 'servers', value: ['a', 'b c'] },
    ])).toBe("set smartgrid.thread='thread'\nset smartgrid.thread.network_name='it'\\''s \"x\" \\ y'\ndelete smartgrid.thread.servers\nadd_list smartgrid.thread.servers='a'\nadd_list smartgrid.thread.servers='b c'\ncommit smartgrid\n");
    expect(() => batchScript('smartgrid', [{ op: 'set', section: 'x; rm -rf', option: 'a', value: '1' }])).toThrow(/invalid UCI section name/);
  });
});

describe('UciBatchWriter through the uci stand-in', () => {
  it('sets, lists and commits; the file is rewritten by uci, not by us', async () => {
    const configDir = join(root, 'config');
    execFileSync('mkdir', ['-p', configDir]);
    writeFileSync(join(configDir, 'smartgrid'), "# comment\nconfig telemetry 'telemetry'\n\toption batch_size '10'\n");
    const writer = new UciBatchWriter({ configDir, command: STAND_IN });
    process.env.UCI_STANDIN_DEFAULT_SAVEDIR = join(root, 'default-save');
    await writer.apply('smartgrid', [
      { op: 'set', section: 'telemetry', option: 'batch_size', value: '20' },
      { op: 'section', section: 'thread', type: 'thread' },
      { op: 'set', section: 'thread', option: 'network_name', value: "mesh 'one'\nline" },
      { op: 'set', section: 'thread', option: 'topics', value: ['a/#', 'b c'] },
      { op: 'delete', section: 'telemetry', option: 'missing' },
    ]);
    const text = readFileSync(join(configDir, 'smartgrid'), 'utf8');
    expect(text.startsWith('\nconfig telemetry')).toBe(true);
    const pkg = parseUciPackage(text, 'smartgrid');
    expect(pkg.sections.map((s) => [s.name, Object.fromEntries(s.options)])).toEqual([
      ['telemetry', { batch_size: '20' }],
      ['thread', { network_name: "mesh 'one'\nline", topics: ['a/#', 'b c'] }],
    ]);
    await expect(writer.apply('smartgrid', [{ op: 'set', section: 'nosuch', option: 'a', value: '1' }])).rejects.toThrow(/Invalid argument/);
  }, 30_000);
});

describe('UbusUciWriter', () => {
  it('uses rpcd uci set/add/delete/commit', async () => {
    const calls: Array<[string, string, UbusArgs]> = [];
    const sections = new Map<string, Record<string, unknown>>([['telemetry', { '.type': 'telemetry', tags: ['x'] }]]);
    const ubus = {
      async call(path: string, method: string, args: UbusArgs = {}) {
        calls.push([path, method, args]);
        const section = sections.get(String(args.section));
        if (method === 'get') {
          if (!section) throw new UbusError(UBUS_STATUS.NOT_FOUND, 'get');
          return args.option ? { value: section[String(args.option)] } : { values: section };
        }
        if (method === 'add') sections.set(String(args.name), { '.type': args.type });
        return {};
      },
    } as unknown as Ubus;
    await new UbusUciWriter(ubus).apply('smartgrid', [
      { op: 'section', section: 'halow', type: 'halow' },
      { op: 'set', section: 'halow', option: 'channel', value: '28' },
      { op: 'add_list', section: 'telemetry', option: 'tags', value: 'y' },
    ]);
    expect(calls.filter(([, method]) => method !== 'get')).toEqual([
      ['uci', 'add', { config: 'smartgrid', type: 'halow', name: 'halow' }],
      ['uci', 'set', { config: 'smartgrid', section: 'halow', values: { channel: '28' } }],
      ['uci', 'set', { config: 'smartgrid', section: 'telemetry', values: { tags: ['x', 'y'] } }],
      ['uci', 'commit', { config: 'smartgrid' }],
    ]);
  });
});
