// The otbr-agent stand-in's topology answers against the captures, so it cannot drift from them:
// GET /diagnostics byte for byte (network.json's 4 nodes, rest.json's lone leader, 500 while not
// attached) and every ot-ctl command the border router was asked in network.json, through the
// ot-ctl stand-in and the agent's daemon socket, with ot-ctl's exit codes and stderr.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/mosquitto.js';
import { otCtlStandIn } from '../../stand-ins/otbr/build.js';
import { replayedNetwork } from '../../stand-ins/otbr/captures.js';
import { cliSocketPath, startCliSocket } from '../../stand-ins/otbr/cli.js';
import { StandInNode } from '../../stand-ins/otbr/node.js';
import { startRest } from '../../stand-ins/otbr/rest.js';
import { capturedDiagnostics, network, otCtl, rest } from '../../unit/thread/otbr-captures.js';

const dir = mkdtempSync(join(tmpdir(), 'otbr-topology-'));
let otCtlBinary: string;
beforeAll(async () => { otCtlBinary = await otCtlStandIn(); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function get(port: number, path: string): Promise<{ status: number; type?: string; body: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { Accept: 'application/json', Connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body, ms: Date.now() - started }));
    }).on('error', reject).end();
  });
}

function runOtCtl(args: string[], runDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(otCtlBinary, args, { env: { ...process.env, OTBR_STANDIN_RUN_DIR: runDir } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function standIn(networkName: 'alone' | '4-node', role: string): Promise<{ node: StandInNode; port: number; runDir: string; close(): void }> {
  const node = new StandInNode('pascal', 'OPENTHREAD/34bb0e4ab; SIMULATION; Dec  4 2026 04:03:02', undefined, {});
  if (networkName === '4-node') node.useNetwork(replayedNetwork('4-node'));
  node.role = role;
  const port = await freePort();
  const runDir = mkdtempSync(join(dir, 'run-'));
  const server: Server = await startRest(node, '127.0.0.1', port);
  const cli: NetServer = await startCliSocket(node, node.network ?? replayedNetwork('alone'), cliSocketPath(runDir, 'wpan0'));
  return { node, port, runDir, close: () => { server.close(); cli.close(); } };
}

describe('otbr-agent stand-in: GET /diagnostics as captured', () => {
  it("answers network.json's 4 nodes with the captured bytes, after the captured 2 s collection", async () => {
    const agent = await standIn('4-node', 'leader');
    try {
      const reply = await get(agent.port, '/diagnostics');
      const captured = capturedDiagnostics();
      expect(reply).toMatchObject({ status: captured.response.status, type: 'application/json', body: captured.response.body });
      expect(reply.ms).toBeGreaterThanOrEqual(1900);
      expect(JSON.parse((await get(agent.port, '/node')).body)).toMatchObject({ State: 'leader', NumOfRouter: 3, Rloc16: 25600, ExtAddress: '72EB61EB9F73BCA1', LeaderData: { PartitionId: 127342956, LeaderRouterId: 25 } });
    } finally {
      agent.close();
    }
  }, 20_000);

  it("answers rest.json's lone leader alone, and 500 with the captured body while not attached", async () => {
    const agent = await standIn('alone', 'leader');
    try {
      const alone = rest.session1.find((e) => e.request.path === '/diagnostics' && e.response?.status === 200)!;
      expect((await get(agent.port, '/diagnostics')).body).toBe(alone.response.body);
      agent.node.role = 'disabled';
      const refused = rest.session1.find((e) => e.request.path === '/diagnostics' && e.response?.status === 500)!;
      expect(await get(agent.port, '/diagnostics')).toMatchObject({ status: 500, type: 'application/json', body: refused.response.body });
    } finally {
      agent.close();
    }
  }, 20_000);
});

describe('otbr-agent and ot-ctl stand-ins: ot-ctl as captured', () => {
  it('prints every command the border router was asked in network.json byte for byte, exit 0', async () => {
    const agent = await standIn('4-node', 'leader');
    const killedAt = network.phases.find(([, phase]) => phase === 'rcp_kill')![0];
    const asked = new Map(network.border_router_ot_ctl_session.filter((e) => e.argv && e.t_ms < killedAt).map((e) => [e.command, e]));
    try {
      expect(asked.size).toBeGreaterThan(15);
      for (const [command, captured] of asked) {
        const reply = await runOtCtl(captured.argv!.slice(1), agent.runDir);
        expect({ command, ...reply }).toEqual({ command, code: captured.exit_code, stdout: captured.stdout, stderr: captured.stderr });
      }
    } finally {
      agent.close();
    }
  }, 60_000);

  it("prints ot-ctl.json's tables, Error lines and state of a node that is not attached", async () => {
    const agent = await standIn('4-node', 'disabled');
    const leaderAt = otCtl.session1.find((e) => e.command === 'state' && e.stdout?.startsWith('leader'))!.t_ms;
    try {
      for (const command of ['router table', 'child table', 'neighbor table', 'leaderdata', 'state']) {
        const captured = otCtl.session1.filter((e) => e.command === command && e.t_ms < leaderAt).at(-1)!;
        expect(await runOtCtl(captured.argv!.slice(1), agent.runDir)).toEqual({ code: 0, stdout: captured.stdout, stderr: '' });
      }
      const bogus = otCtl.session2.find((e) => e.command === 'bogus')!;
      expect((await runOtCtl(bogus.argv!.slice(1), agent.runDir)).stdout).toBe(bogus.stdout);
    } finally {
      agent.close();
    }
  }, 30_000);

  it('exits 1 as captured: wrong interface, no command, an agent that is gone', async () => {
    const agent = await standIn('alone', 'leader');
    try {
      const wrongIf = otCtl.modes.oneshot_wrong_ifname as { argv: string[]; exit_code: number; stdout: string; stderr: string };
      expect(await runOtCtl(wrongIf.argv.slice(1), agent.runDir)).toEqual({ code: wrongIf.exit_code, stdout: wrongIf.stdout, stderr: wrongIf.stderr });
      const noCommand = otCtl.modes.oneshot_no_args_stdin_pipe as { argv: string[]; exit_code: number; stdout: string; stderr: string };
      expect(await runOtCtl(noCommand.argv.slice(1), agent.runDir)).toEqual({ code: noCommand.exit_code, stdout: '', stderr: '' });
    } finally {
      agent.close();
    }
    const gone = otCtl.session1.find((e) => e.exit_code === 1 && e.command === 'state')!;
    const runDir = mkdtempSync(join(dir, 'gone-'));
    await staleSocket(cliSocketPath(runDir, 'wpan0'));
    expect(await runOtCtl(gone.argv!.slice(1), runDir)).toEqual({ code: 1, stdout: '', stderr: gone.stderr });
  }, 30_000);
});

/** A daemon socket left behind by an agent that died (as a killed otbr-agent leaves it). */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
}
